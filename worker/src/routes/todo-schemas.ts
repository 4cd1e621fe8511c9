// The todo API's request and response shapes, defined once and used to validate requests and to
// serialize rows.
import * as z from "zod";
import type { ListCursor } from "../db/queries/todos.ts";
import { type TodoRow, TITLE_MAX_LENGTH } from "../db/schema/index.ts";

export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 50;

const title = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(TITLE_MAX_LENGTH, `must be at most ${TITLE_MAX_LENGTH} characters`);

const dueAt = z.iso.datetime({ offset: true }).transform((value) => new Date(value)).nullable();

export const CreateTodoBody = z.strictObject({
  title,
  dueAt: dueAt.optional(),
});

export const UpdateTodoBody = z
  .strictObject({
    title: title.optional(),
    completed: z.boolean().optional(),
    position: z.number().finite().optional(),
    dueAt: dueAt.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "Body must change at least one of title, completed, position, dueAt");

export const CompleteAllBody = z.strictObject({ completed: z.boolean().default(true) });

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
  status: z.literal("completed", { error: 'must be "completed" (only completed todos can be cleared in bulk)' }),
});

export interface TodoJson {
  id: string;
  title: string;
  completed: boolean;
  position: number;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toTodoJson(row: TodoRow): TodoJson {
  return {
    id: row.id,
    title: row.title,
    completed: row.completed,
    position: row.position,
    dueAt: row.dueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(row: TodoRow): string {
  const json = JSON.stringify([row.position, row.createdAt.toISOString(), row.id]);
  return btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const CursorTuple = z.tuple([z.number().finite(), z.iso.datetime(), z.uuid()]);

function decodeCursor(value: string): ListCursor | undefined {
  try {
    const json = atob(value.replaceAll("-", "+").replaceAll("_", "/"));
    const parsed = CursorTuple.safeParse(JSON.parse(json));
    if (!parsed.success) return undefined;
    const [position, createdAt, id] = parsed.data;
    return { position, createdAt: new Date(createdAt), id };
  } catch {
    return undefined;
  }
}

export const TodoId = z.uuid();
