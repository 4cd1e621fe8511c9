// Properties of everything but the body of a todo request, through the Worker against the real
// database: list parameters (status, limit, cursor), ids in paths, and the headers the API reads
// (Authorization, If-Match, Idempotency-Key). For any value the answer is the one the API's rules
// call for, a 2xx or a 4xx in the error shape; never a 5xx.
import { beforeAll, describe, expect, test } from "vitest";
import { MAX_PAGE_SIZE, type Todo, type TodoPage } from "#contract";
import { apiCall, call, signedInUser, type TestUser } from "../../test/client.ts";
import {
  answer,
  anyDateTime,
  anyHeaderValue,
  anyIsoInstant,
  anyJson,
  anyText,
  asSent,
  check,
  type ErrorAnswer,
  expectedInstant,
  fc,
  pathSegment,
  tokenSource,
} from "../../test/properties.ts";

let user: TestUser;
let token: () => Promise<string>;
const todos: Todo[] = [];
const cursors: string[] = [];

beforeAll(async () => {
  user = await signedInUser();
  token = tokenSource(user);
  for (const title of ["one", "two", "three", "four", "five"]) {
    todos.push((await (await apiCall(await token(), "POST", "/api/todos", { title })).json()) as Todo);
  }
  // Every cursor the API hands out for this list, one todo per page.
  let cursor: string | null = null;
  do {
    const query: string = `/api/todos?limit=1${cursor ? `&cursor=${cursor}` : ""}`;
    cursor = ((await (await apiCall(await token(), "GET", query)).json()) as TodoPage).nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
});

/** base64url of `text`'s UTF-8 bytes, as a client forging a cursor would write it. */
function base64url(text: string): string {
  const binary = String.fromCharCode(...new TextEncoder().encode(text));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** zod's uuid: the RFC 9562 variant, versions 1 to 8, the nil and the max UUID. */
const UUID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i;

describe("GET /api/todos", () => {
  type Key = [position: number, createdAt: string, id: string];
  interface CursorChoice {
    cursor: string;
    /** The sort key it stands for, when the API must follow it. */
    after?: Key | undefined;
    issued?: boolean;
  }

  /** A cursor as the API writes them, of any sort key: position, createdAt and id. */
  const forgedCursor: fc.Arbitrary<CursorChoice> = fc
    .tuple(
      fc.oneof(fc.double(), fc.integer()),
      fc.oneof({ arbitrary: anyIsoInstant, weight: 3 }, { arbitrary: anyDateTime, weight: 1 }),
      fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: anyText(40), weight: 1 }),
    )
    .map((key) => {
      const [position, createdAt, id] = key;
      // JSON has no NaN or Infinity (they become null); -0 is written 0, which is canonical.
      const valid = Number.isFinite(position) && expectedInstant(createdAt) === createdAt && UUID.test(id);
      return { cursor: base64url(JSON.stringify(key)), after: valid ? key : undefined };
    });
  const junkCursor: fc.Arbitrary<CursorChoice> = fc
    .oneof(anyText(80), fc.base64String(), fc.constantFrom("", "=", "%ZZ", "W10", "bnVsbA"))
    .map((cursor) => ({ cursor }));
  const issuedCursor = (): fc.Arbitrary<CursorChoice> =>
    fc.constantFrom(...cursors).map((cursor) => ({ cursor, issued: true }));

  /** Asks for a page and checks the answer against what the query calls for. */
  async function listAndCheck(query: URLSearchParams, cursor: CursorChoice | undefined): Promise<void> {
    const res = await apiCall(await token(), "GET", `/api/todos?${query}`);
    const page = await answer(res, `GET /api/todos?${query}`);
    // URLSearchParams sends every string as well-formed UTF-8, so judge what it sent.
    const sent = new URLSearchParams(query.toString());
    const size = sent.has("limit") ? Number(sent.get("limit")) : 50;
    const names = [...sent.keys()].filter((name) => name !== "");
    const valid =
      (!sent.has("status") || ["all", "active", "completed"].includes(sent.get("status") as string)) &&
      Number.isInteger(size) &&
      size >= 1 &&
      size <= MAX_PAGE_SIZE &&
      (cursor === undefined || cursor.issued === true || cursor.after !== undefined) &&
      // Only these parameters, each at most once; one without a name is none at all.
      names.every((key) => ["status", "limit", "cursor"].includes(key)) &&
      new Set(names).size === names.length;
    if (!valid) {
      expect(res.status, JSON.stringify(page)).toBe(422);
      if (cursor && !cursor.issued && !cursor.after && sent.size === 1) {
        expect((page as ErrorAnswer).detail).toContain("is not a cursor this API returned");
      }
      return;
    }
    expect(res.status, JSON.stringify(page)).toBe(200);
    const { items } = page as TodoPage;
    expect(items.length).toBeLessThanOrEqual(size);
    const order = todos.map((todo) => todo.id);
    const indexes = items.map((item) => order.indexOf(item.id));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    const after = cursor?.after;
    if (after) {
      for (const item of items) expect(compareKeys([item.position, item.createdAt, item.id], after)).toBe(1);
    }
  }

  test("any cursor, issued or forged: followed from the sort key it names, or a 422", async () => {
    await check(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: forgedCursor, weight: 4 },
          { arbitrary: issuedCursor(), weight: 1 },
          { arbitrary: junkCursor, weight: 1 },
        ),
        async (cursor) => listAndCheck(new URLSearchParams({ cursor: cursor.cursor }), cursor),
      ),
      80,
    );
  });

  test("any status, limit and other parameter: the page they ask for, or a 422", async () => {
    const anyLimit = fc.oneof(
      { arbitrary: fc.integer({ min: -5, max: MAX_PAGE_SIZE + 5 }).map(String), weight: 4 },
      { arbitrary: fc.double().map(String), weight: 1 },
      { arbitrary: fc.constantFrom("", " 5", "0x10", "1e1", "5.0", "+5", "-0", "Infinity", "NaN", "１"), weight: 1 },
      { arbitrary: anyText(12), weight: 1 },
    );
    const anyStatus = fc.oneof(
      { arbitrary: fc.constantFrom("all", "active", "completed", "ALL", "done"), weight: 3 },
      { arbitrary: anyText(12), weight: 1 },
    );
    await check(
      fc.asyncProperty(
        fc.option(anyStatus, { nil: undefined }),
        fc.option(anyLimit, { nil: undefined }),
        fc.option(fc.oneof(issuedCursor(), junkCursor), { nil: undefined }),
        fc.option(fc.tuple(anyText(8), anyText(8)), { nil: undefined, freq: 6 }),
        async (status, limit, cursor, unknown) => {
          const query = new URLSearchParams();
          if (status !== undefined) query.set("status", status);
          if (limit !== undefined) query.set("limit", limit);
          if (cursor !== undefined) query.set("cursor", cursor.cursor);
          if (unknown !== undefined) query.append(...unknown);
          await listAndCheck(query, cursor);
        },
      ),
      80,
    );
  });
});

/** Postgres's order of two sort keys: -1, 0 or 1. */
function compareKeys(a: [number, string, string], b: [number, string, string]): number {
  for (let i = 0; i < 3; i += 1) {
    const [x, y] = [a[i] as number | string, b[i] as number | string];
    const [u, v] = i === 1 ? [Date.parse(x as string), Date.parse(y as string)] : [x, y];
    if (u < v) return -1;
    if (u > v) return 1;
  }
  return 0;
}

describe("ids in paths", () => {
  const anySegment = fc.oneof(
    fc.uuid().map((id) => ({ raw: false, id })),
    anyText(40).map((id) => ({ raw: false, id })),
    fc
      .constantFrom("%00", "%ZZ", "%E0%A4%A", "%ED%A0%80", "%2e%2e", "a%2Fb", "%25", "%", "null", "0")
      .map((id) => ({ raw: true, id })),
  );

  test("any id of a todo, a session or a user: a 4xx in the error shape, never a 5xx", async () => {
    await check(
      fc.asyncProperty(anySegment, async ({ raw, id }) => {
        const segment = raw ? id : pathSegment(id);
        const bearer = { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" };
        const requests: [string, string, string?][] = [
          ["GET", `/api/todos/${segment}`],
          ["PATCH", `/api/todos/${segment}`, '{"completed":true}'],
          ["DELETE", `/api/todos/${segment}`],
          ["DELETE", `/api/sessions/${segment}`],
          ["GET", `/api/users/${segment}/todos`],
        ];
        for (const [method, path, body] of requests) {
          const res = await call(path, { method, headers: bearer, body });
          await answer(res, `${method} ${path}`);
          // A segment that is a path of its own ("", ".", "..") names another route; any other id
          // names no todo or session of this user's, and is not this user.
          if (!/^(\.|%2e){0,2}$/i.test(segment)) {
            expect(res.status, `${method} ${path}`).toBe(path.startsWith("/api/users/") ? 403 : 404);
          }
        }
      }),
      40,
    );
  });
});

describe("headers", () => {
  test("Authorization: any value but the token itself is a 401 in the error shape", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.+/~ ";
    /**
     * An edit to a token: a character replaced, inserted or removed, anywhere or near the ends of
     * its segments, where padding and unused bits live.
     */
    const edit = fc.record({
      kind: fc.constantFrom("replace", "insert", "remove"),
      anchor: fc.constantFrom("anywhere", "end", "first dot", "second dot"),
      offset: fc.oneof(fc.integer({ min: -2, max: 1 }), fc.nat()),
      character: fc.oneof(fc.constantFrom(...alphabet), fc.constantFrom("=", "==")),
    });
    /** Where `edit` applies in `token`. */
    const position = (token: string, { anchor, offset }: { anchor: string; offset: number }) => {
      const base =
        anchor === "end"
          ? token.length
          : anchor === "first dot"
            ? token.indexOf(".")
            : anchor === "second dot"
              ? token.lastIndexOf(".")
              : 0;
      return Math.min(token.length, Math.max(0, anchor === "anywhere" ? offset % (token.length + 1) : base + offset));
    };
    const anyAuthorization = fc.oneof(
      fc.record({
        scheme: fc.constantFrom("Bearer ", "bearer ", "BEARER   ", "Bearer", "Basic ", "Bearer\t", "Token ", ""),
        edit: fc.option(edit, { nil: undefined, freq: 4 }),
      }),
      anyHeaderValue(120).map((value) => ({ value })),
    );
    await check(
      fc.asyncProperty(anyAuthorization, async (choice) => {
        const token$ = await token();
        let header: string;
        if ("value" in choice) {
          header = choice.value;
        } else {
          let edited = token$;
          if (choice.edit) {
            const { kind, character } = choice.edit;
            const at = position(token$, choice.edit);
            if (kind === "replace") edited = `${token$.slice(0, at)}${character}${token$.slice(at + 1)}`;
            if (kind === "insert") edited = `${token$.slice(0, at)}${character}${token$.slice(at)}`;
            if (kind === "remove") edited = `${token$.slice(0, at)}${token$.slice(at + 1)}`;
          }
          header = `${choice.scheme}${edited}`;
        }
        // RFC 6750: the scheme (any case), one or more spaces, the token exactly as issued.
        const valid = /^bearer +(.*?) *$/i.exec(asSent(header))?.[1] === token$;
        const res = await call("/api/me", { headers: { Authorization: header } });
        const got = await answer(res, `Authorization: ${JSON.stringify(header)}`);
        expect(res.status, JSON.stringify(got)).toBe(valid ? 200 : 401);
        if (!valid) expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="api"/);
      }),
      100,
    );
  });

  test("If-Match: any value is a change, a 412, or a 400, as RFC 9110's strong comparison says", async () => {
    const { id } = (await (await apiCall(await token(), "POST", "/api/todos", { title: "if-match" })).json()) as Todo;
    const read = async () => (await answer(await apiCall(await token(), "GET", `/api/todos/${id}`), "GET")) as Todo;
    const anyIfMatch = fc.oneof(
      fc.constantFrom("current", "next", "weak", "*", " * ").map((kind) => ({ kind })),
      fc
        .oneof(fc.nat(), fc.constantFrom(999_999_999, 1_000_000_000, 2 ** 31))
        .map((n) => ({ kind: "number", value: `"${n}"` })),
      anyHeaderValue(20).map((value) => ({ kind: "any", value })),
    );
    await check(
      fc.asyncProperty(anyIfMatch, async (choice) => {
        const current = await read();
        const header =
          choice.kind === "current"
            ? `"${current.version}"`
            : choice.kind === "next"
              ? `"${current.version + 1}"`
              : choice.kind === "weak"
                ? `W/"${current.version}"`
                : choice.kind === "*" || choice.kind === " * "
                  ? choice.kind
                  : (choice as { value: string }).value;
        const res = await call(`/api/todos/${id}`, {
          method: "PATCH",
          headers: { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json", "If-Match": header },
          body: JSON.stringify({ completed: !current.completed }),
        });
        const got = await answer(res, `If-Match: ${JSON.stringify(header)}`);
        const sent = asSent(header).trim();
        const strong = /^"(\d{1,9})"$/.exec(sent);
        // An empty list of ETags is no condition, like `*`.
        const expected =
          sent === "" || sent === "*" || (strong && Number(strong[1]) === current.version)
            ? 200
            : strong || /^W\/"\d{1,9}"$/.test(sent)
              ? 412
              : 400;
        expect(res.status, JSON.stringify(got)).toBe(expected);
        if (expected === 200) {
          expect(got).toMatchObject({ completed: !current.completed, version: current.version + 1 });
          expect(await read()).toEqual(got);
        } else {
          expect(await read()).toEqual(current);
        }
      }),
      60,
    );
  });

  test("Idempotency-Key: any value creates once and replays, or is a 400", async () => {
    const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
    const anyKey = fc.oneof(
      anyHeaderValue(40),
      fc.uuid(),
      fc.string({ unit: printable, minLength: 253, maxLength: 257 }),
    );
    await check(
      fc.asyncProperty(anyKey, anyJson, async (key, extra) => {
        const send = async () =>
          call("/api/todos", {
            method: "POST",
            headers: {
              Authorization: `Bearer ${await token()}`,
              "Content-Type": "application/json",
              "Idempotency-Key": key,
            },
            body: JSON.stringify({ title: `idempotent ${JSON.stringify(extra).slice(0, 20)}` }),
          });
        const first = await send();
        const created = await answer(first, `Idempotency-Key: ${JSON.stringify(key)}`);
        if (!/^[\x21-\x7e]{1,255}$/.test(asSent(key))) {
          expect(first.status, JSON.stringify(created)).toBe(400);
          return;
        }
        // 201, or 422 when an earlier run used this key for another title.
        if (first.status === 422) return;
        expect(first.status, JSON.stringify(created)).toBe(201);
        const again = await send();
        expect(again.status).toBe(201);
        expect(again.headers.get("Idempotent-Replayed")).toBe("true");
        expect(await answer(again, "replay")).toEqual(created);
      }),
      60,
    );
  });
});
