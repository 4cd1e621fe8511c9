// The todo API's request and response shapes, defined once: they validate requests, type and
// serialize responses, and are the schemas of the OpenAPI document (named ones via `meta({ id })`).

import * as z from "zod";
import { MAX_PAGE_SIZE, TITLE_MAX_LENGTH, type Todo as TodoJson, visibleTextProblem } from "#contract";
import type { ListCursor } from "../db/queries/todos.ts";
import type { TodoRow } from "../db/schema/index.ts";
import { AppError } from "../errors.ts";

const DEFAULT_PAGE_SIZE = 50;

const title = z
  .string()
  .trim()
  .min(1, { error: "must not be empty", abort: true })
  .max(TITLE_MAX_LENGTH, { error: `must be at most ${TITLE_MAX_LENGTH} characters`, abort: true })
  // The text rules the web app shares: one line, no bidi controls, something visible (#contract).
  .superRefine((value, ctx) => {
    const problem = visibleTextProblem(value, TITLE_MAX_LENGTH);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("One line of visible text, trimmed of surrounding white space");

/**
 * The earliest and latest instants the API stores: years 0001 to 9999 in UTC, those an ISO 8601
 * date writes with four digits. Postgres has no year 0 and reads no year past 9999 in the form a
 * Date writes it ("+010000-…"); every instant between reads back exactly as it was written.
 */
const EARLIEST_INSTANT = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * The instant an RFC 3339 date-time stands for, when the API can keep it exactly: within years
 * 0001–9999 in UTC and no finer than a millisecond (further digits only zeros); otherwise undefined.
 */
function exactInstant(value: string): Date | undefined {
  if (/\.\d{3}\d*[1-9]/.test(value)) return undefined;
  const time = Date.parse(value);
  return time >= EARLIEST_INSTANT && time <= LATEST_INSTANT ? new Date(time) : undefined;
}

const dueAt = z.iso
  .datetime({ offset: true })
  .describe("An RFC 3339 date-time in the years 0001 to 9999 (UTC), to the millisecond at most")
  .transform((value, ctx) => {
    const instant = exactInstant(value);
    if (!instant) {
      ctx.addIssue({ code: "custom", message: "must be in the years 0001 to 9999 (UTC), to the millisecond at most" });
      return z.NEVER;
    }
    return instant;
  })
  .nullable();

export const CreateTodoBody = z
  .strictObject({
    title,
    dueAt: dueAt.optional(),
  })
  .meta({ id: "NewTodo" });

export const UpdateTodoBody = z
  .strictObject({
    title: title.optional(),
    completed: z.boolean().optional(),
    position: z.number().finite().optional(),
    dueAt: dueAt.optional(),
  })
  .refine(
    (patch) => Object.keys(patch).length > 0,
    "Body must change at least one of title, completed, position, dueAt",
  )
  // The refinement above, for the document.
  .meta({ id: "TodoChanges", minProperties: 1 });

export const CompleteAllBody = z
  .strictObject({ completed: z.boolean().default(true).describe("false marks every todo active again") })
  .meta({ id: "CompleteAll" });

export const ListTodosQuery = z.strictObject({
  status: z.enum(["all", "active", "completed"]).default("all"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const cursor = decodeCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "is not a cursor this API returned" });
        return z.NEVER;
      }
      return cursor;
    }),
});

export const ClearTodosQuery = z.strictObject({
  status: z
    .literal("completed", { error: 'must be "completed" (only completed todos can be cleared in bulk)' })
    // Swagger UI fills a parameter in from `example`.
    .meta({ example: "completed" }),
});

const timestamp = z.iso.datetime({ offset: true });

const TODO_EXAMPLE = {
  id: "0b6f3d4e-8c1a-4f2b-9d7e-5a3c2b1f0e9d",
  title: "Buy milk",
  completed: false,
  position: 1,
  dueAt: "2030-01-01T09:00:00.000Z",
  createdAt: "2029-12-31T18:30:00.000Z",
  updatedAt: "2029-12-31T18:30:00.000Z",
  version: 1,
};

export const Todo = z
  .object({
    id: z.uuid(),
    title: z.string(),
    completed: z.boolean(),
    position: z.number().describe("Lists are ordered by position, then by creation"),
    dueAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.int().min(1).describe('Goes up with every change; send it back as `If-Match: "<version>"`'),
  })
  .meta({ id: "Todo", examples: [TODO_EXAMPLE] }) satisfies z.ZodType<TodoJson>;

export const TodoPage = z
  .object({
    items: z.array(Todo),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
  })
  .meta({ id: "TodoPage", examples: [{ items: [TODO_EXAMPLE], nextCursor: null }] });

export const CompleteAllResult = z.object({ updated: z.int().min(0).describe("Todos changed") });

export const ClearCompletedResult = z.object({ deleted: z.int().min(0).describe("Todos deleted") });

export function toTodoJson(row: TodoRow): TodoJson {
  return {
    id: row.id,
    title: row.title,
    completed: row.completed,
    position: row.position,
    dueAt: row.dueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** The ETag of a todo's current representation: its version. */
export function etag(row: Pick<TodoRow, "version">): string {
  return `"${row.version}"`;
}

/**
 * The version an If-Match header requires: undefined when absent, empty (a list of no ETags) or
 * `*` (any version will do). Throws on a value this API never issued.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "" || header.trim() === "*") return undefined;
  // If-Match compares strongly (RFC 9110 §13.1.1): a weak validator never matches.
  if (/^\s*W\/"\d{1,9}"\s*$/.test(header)) return -1;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new AppError("validation_error", 'If-Match must be an ETag from this API, e.g. "3"', { status: 400 });
  }
  return Number(match[1]);
}

/** Idempotency-Key: any printable ASCII, 1–255 characters (e.g. a UUID the client made). */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new AppError("validation_error", "Idempotency-Key must be 1 to 255 printable ASCII characters", {
      status: 400,
    });
  }
  return header;
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(row: Pick<TodoRow, "position" | "createdAt" | "id">): string {
  const json = JSON.stringify([row.position, row.createdAt.toISOString(), row.id]);
  return btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const CursorTuple = z.tuple([z.number().finite(), z.iso.datetime(), z.uuid()]);

/** The sort key in a cursor, if it is one encodeCursor could have made: anything else is refused. */
function decodeCursor(value: string): ListCursor | undefined {
  try {
    const json = atob(value.replaceAll("-", "+").replaceAll("_", "/"));
    const parsed = CursorTuple.safeParse(JSON.parse(json));
    if (!parsed.success) return undefined;
    const [position, createdAtText, id] = parsed.data;
    const createdAt = exactInstant(createdAtText);
    if (!createdAt) return undefined;
    const cursor = { position, createdAt, id };
    // Only the exact text encodeCursor writes: no second spelling of one cursor, no other date form.
    return encodeCursor(cursor) === value ? cursor : undefined;
  } catch {
    return undefined;
  }
}

export const TodoId = z.uuid();
