// Properties of the todo API's bodies, through the Worker against the real database: for any title,
// due date, completion, position, field of the wrong type or unknown field, and any body at all,
// the answer is a 2xx whose read-back is what was sent (titles trimmed, instants in UTC), or a 4xx
// in the error shape that changed nothing; never a 5xx.
import { beforeAll, describe, expect, test } from "vitest";
import { TITLE_MAX_LENGTH, type Todo, visibleTextProblem } from "#contract";
import { apiCall, call, signedInUser } from "../../test/client.ts";
import {
  answer,
  anyCharacter,
  anyDateTime,
  anyJson,
  anyText,
  check,
  expectedInstant,
  fc,
  tokenSource,
} from "../../test/properties.ts";

let token: () => Promise<string>;

beforeAll(async () => {
  token = tokenSource(await signedInUser());
});

const INVALID = Symbol("invalid");

/** What the title must be stored as, or INVALID. */
function expectedTitle(title: unknown): string | typeof INVALID {
  if (typeof title !== "string") return INVALID;
  return visibleTextProblem(title.trim(), TITLE_MAX_LENGTH) === undefined ? title.trim() : INVALID;
}

/** What dueAt must be stored as (null: none), or INVALID. */
function expectedDueAt(dueAt: unknown): string | null | typeof INVALID {
  if (dueAt === null) return null;
  if (typeof dueAt !== "string") return INVALID;
  return expectedInstant(dueAt) ?? INVALID;
}

const anyTitle = fc.oneof({ arbitrary: anyText(TITLE_MAX_LENGTH), weight: 8 }, { arbitrary: anyJson, weight: 1 });
const anyDueAt = fc.oneof(
  { arbitrary: anyDateTime, weight: 8 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: anyText(40), weight: 1 },
  { arbitrary: anyJson, weight: 1 },
);

/** What JSON carries of `value`: NaN and Infinity become null, -0 becomes 0, undefined goes. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

async function readBack(id: string): Promise<Todo> {
  return (await answer(await apiCall(await token(), "GET", `/api/todos/${id}`), `GET ${id}`)) as Todo;
}

describe("POST /api/todos", () => {
  test("any title and due date: created as sent and read back the same, or a 422", async () => {
    await check(
      fc.asyncProperty(anyTitle, fc.option(anyDueAt, { nil: undefined }), async (title, dueAt) => {
        const body = overJson(dueAt === undefined ? { title } : { title, dueAt });
        const res = await apiCall(await token(), "POST", "/api/todos", body);
        const created = await answer(res, `POST ${JSON.stringify(body)}`);
        const [wantTitle, wantDue] = [expectedTitle(body.title), expectedDueAt("dueAt" in body ? body.dueAt : null)];
        if (wantTitle === INVALID || wantDue === INVALID) {
          expect(res.status, JSON.stringify(created)).toBe(422);
          return;
        }
        expect(res.status, JSON.stringify(created)).toBe(201);
        const todo = created as Todo;
        expect(todo).toMatchObject({ title: wantTitle, dueAt: wantDue, completed: false, version: 1 });
        expect(await readBack(todo.id)).toEqual(todo);
        // Keeps the user far from the per-user cap, however many runs.
        await answer(await apiCall(await token(), "DELETE", `/api/todos/${todo.id}`), "DELETE");
      }),
      80,
    );
  });
});

describe("PATCH /api/todos/:id", () => {
  let id: string;

  beforeAll(async () => {
    id = ((await (await apiCall(await token(), "POST", "/api/todos", { title: "patched" })).json()) as Todo).id;
  });

  const anyPatch = fc
    .record(
      {
        title: anyTitle,
        completed: fc.oneof(fc.boolean(), anyJson),
        position: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(5e-324, -0, 1.7976931348623157e308), anyJson),
        dueAt: anyDueAt,
      },
      { requiredKeys: [] },
    )
    .chain((patch) =>
      fc.option(
        fc
          .tuple(fc.string({ unit: anyCharacter, maxLength: 8 }), anyJson)
          .map(([key, value]) => ({ ...patch, [key]: value })),
        { nil: patch, freq: 8 },
      ),
    );

  test("any change: applied exactly and read back, or a 422 that changed nothing", async () => {
    await check(
      fc.asyncProperty(anyPatch, async (patch) => {
        const before = await readBack(id);
        const body = overJson(patch) as Record<string, unknown>;
        const res = await apiCall(await token(), "PATCH", `/api/todos/${id}`, body);
        const got = await answer(res, `PATCH ${JSON.stringify(body)}`);
        const want = expectedChange(body);
        if (want === INVALID) {
          expect(res.status, JSON.stringify(got)).toBe(422);
          expect(await readBack(id)).toEqual(before);
          return;
        }
        expect(res.status, JSON.stringify(got)).toBe(200);
        const todo = got as Todo;
        expect(todo).toEqual({ ...before, ...want, version: before.version + 1, updatedAt: todo.updatedAt });
        expect(await readBack(id)).toEqual(todo);
      }),
      80,
    );
  });
});

/** The fields a PATCH body must set, or INVALID. */
function expectedChange(body: Record<string, unknown>): Partial<Todo> | typeof INVALID {
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.some((key) => !["title", "completed", "position", "dueAt"].includes(key))) {
    return INVALID;
  }
  const change: Partial<Todo> = {};
  if ("title" in body) {
    const title = expectedTitle(body.title);
    if (title === INVALID) return INVALID;
    change.title = title;
  }
  if ("completed" in body) {
    if (typeof body.completed !== "boolean") return INVALID;
    change.completed = body.completed;
  }
  if ("position" in body) {
    if (typeof body.position !== "number") return INVALID;
    change.position = body.position;
  }
  if ("dueAt" in body) {
    const dueAt = expectedDueAt(body.dueAt);
    if (dueAt === INVALID) return INVALID;
    change.dueAt = dueAt;
  }
  return change;
}

describe("any body at all", () => {
  const anyBody = fc.oneof(
    fc.json(),
    fc.string({ unit: anyCharacter, maxLength: 40 }),
    fc.jsonValue().map((value) => JSON.stringify({ title: "t", extra: value })),
    fc.constantFrom(
      "",
      "{",
      "[]",
      "null",
      '{"title":"a","title":1}',
      '{"__proto__":{"title":"x"}}',
      '{"position":1e999}',
    ),
  );
  const anyTarget = fc.constantFrom(
    ["POST", "/api/todos"],
    ["PATCH", "/api/todos/00000000-0000-4000-8000-000000000000"],
    ["POST", "/api/todos/complete-all"],
  );

  test("on every route that reads one: never a 5xx", async () => {
    await check(
      fc.asyncProperty(anyTarget, anyBody, async ([method, path], body) => {
        const res = await call(path, {
          method,
          headers: { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" },
          body,
        });
        const got = await answer(res, `${method} ${path} ${JSON.stringify(body)}`);
        if (res.status === 201) {
          await answer(await apiCall(await token(), "DELETE", `/api/todos/${(got as Todo).id}`), "DELETE");
        }
      }),
      60,
    );
  });
});
