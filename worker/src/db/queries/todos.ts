// Every todo query, each one statement (one round trip) with the owner in its WHERE clause, so a
// user can never read or change another user's rows and an ownership check costs nothing extra.

import { and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import { MAX_TODOS_PER_USER } from "#contract";
import type { Db } from "../client.ts";
import { sqlState } from "../errors.ts";
import { type TodoRow, todos } from "../schema/index.ts";

export type TodoStatus = "all" | "active" | "completed";

/** The last row of the previous page: the next page starts after it. */
export interface ListCursor {
  position: number;
  createdAt: Date;
  id: string;
}

export interface TodoPatch {
  title?: string;
  completed?: boolean;
  position?: number;
  dueAt?: Date | null;
}

function statusFilter(status: TodoStatus): SQL | undefined {
  if (status === "active") return eq(todos.completed, false);
  if (status === "completed") return eq(todos.completed, true);
  return undefined;
}

export async function listTodos(
  db: Db,
  userId: string,
  options: { status: TodoStatus; limit: number; after?: ListCursor },
): Promise<{ rows: TodoRow[]; hasMore: boolean }> {
  const { after } = options;
  const rows = await db
    .select()
    .from(todos)
    .where(
      and(
        eq(todos.userId, userId),
        statusFilter(options.status),
        // Keyset pagination on the same columns (and index) as the ordering.
        after
          ? sql`(${todos.position}, ${todos.createdAt}, ${todos.id}) > (${after.position}::float8, ${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(todos.position), asc(todos.createdAt), asc(todos.id))
    .limit(options.limit + 1);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

export async function getTodo(db: Db, userId: string, id: string): Promise<TodoRow | undefined> {
  const [row] = await db
    .select()
    .from(todos)
    .where(and(eq(todos.id, id), eq(todos.userId, userId)));
  return row;
}

const FOREIGN_KEY_VIOLATION = "23503";

export type CreateResult =
  | { kind: "created"; row: TodoRow }
  | { kind: "replayed"; row: TodoRow }
  | { kind: "key-reused"; row: TodoRow }
  | { kind: "limit-reached" }
  /** No such user: the account was deleted while an access token for it is still valid. */
  | { kind: "no-owner" };

/**
 * Inserts a todo at the end of the user's list in one statement that also enforces the per-user
 * limit and, with an idempotency key, makes a retried request return the row the first one created.
 * Only a refused insert costs a second round trip (to tell a replay from the limit).
 */
export async function createTodo(
  db: Db,
  userId: string,
  input: { title: string; dueAt?: Date | null; idempotencyKey?: string },
): Promise<CreateResult> {
  const dueAt = input.dueAt ? input.dueAt.toISOString() : null;
  const key = input.idempotencyKey ?? null;
  // Values in the table's column order (drizzle's insert … select takes every insertable column):
  // id, user_id, title, completed, position, due_at, created_at, updated_at, version, idempotency_key.
  // The owner's existence is checked by the foreign key, at no extra cost to every other insert.
  const inserted = await db
    .insert(todos)
    .select(
      sql`select gen_random_uuid(), ${userId}, ${input.title}, false, coalesce(max(${todos.position}), 0) + 1,
        ${dueAt}::timestamptz, now(), now(), 1, ${key}::text
        from ${todos} where ${todos.userId} = ${userId}
        having count(*) < ${MAX_TODOS_PER_USER}`,
    )
    .onConflictDoNothing({
      target: [todos.userId, todos.idempotencyKey],
      where: sql`${todos.idempotencyKey} is not null`,
    })
    .returning()
    .catch((error: unknown) => {
      // The only foreign key of todos is the owner.
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) return "no-owner" as const;
      throw error;
    });
  if (inserted === "no-owner") return { kind: "no-owner" };
  const [row] = inserted;
  if (row) return { kind: "created", row };
  if (key !== null) {
    const [existing] = await db
      .select()
      .from(todos)
      .where(and(eq(todos.userId, userId), eq(todos.idempotencyKey, key)));
    if (existing) {
      const same = existing.title === input.title && (existing.dueAt?.toISOString() ?? null) === dueAt;
      return { kind: same ? "replayed" : "key-reused", row: existing };
    }
  }
  return { kind: "limit-reached" };
}

export type WriteResult<T> = { kind: "done"; value: T } | { kind: "not-found" } | { kind: "version-mismatch" };

/** After a conditional write matched nothing: was the row missing, or at another version? */
async function missOutcome(db: Db, userId: string, id: string, expectedVersion: number | undefined) {
  if (expectedVersion === undefined) return { kind: "not-found" } as const;
  const [current] = await db
    .select({ version: todos.version })
    .from(todos)
    .where(and(eq(todos.id, id), eq(todos.userId, userId)));
  return current ? ({ kind: "version-mismatch" } as const) : ({ kind: "not-found" } as const);
}

function matches(userId: string, id: string, expectedVersion: number | undefined): SQL | undefined {
  return and(
    eq(todos.id, id),
    eq(todos.userId, userId),
    expectedVersion === undefined ? undefined : eq(todos.version, expectedVersion),
  );
}

/** Applies `patch` if the todo is the user's (and at `expectedVersion`, when given). */
export async function updateTodo(
  db: Db,
  userId: string,
  id: string,
  patch: TodoPatch,
  expectedVersion?: number,
): Promise<WriteResult<TodoRow>> {
  const [row] = await db
    .update(todos)
    .set({ ...patch, version: sql`${todos.version} + 1`, updatedAt: sql`now()` })
    .where(matches(userId, id, expectedVersion))
    .returning();
  return row ? { kind: "done", value: row } : missOutcome(db, userId, id, expectedVersion);
}

export async function deleteTodo(
  db: Db,
  userId: string,
  id: string,
  expectedVersion?: number,
): Promise<WriteResult<string>> {
  const [row] = await db
    .delete(todos)
    .where(matches(userId, id, expectedVersion))
    .returning({ id: todos.id });
  return row ? { kind: "done", value: row.id } : missOutcome(db, userId, id, expectedVersion);
}

/** Marks every one of the user's todos completed (or active); returns how many changed. */
export async function setAllCompleted(db: Db, userId: string, completed: boolean): Promise<number> {
  const rows = await db
    .update(todos)
    .set({ completed, version: sql`${todos.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(todos.userId, userId), ne(todos.completed, completed)))
    .returning({ id: todos.id });
  return rows.length;
}

/** Deletes the user's completed todos; returns how many went. */
export async function deleteCompleted(db: Db, userId: string): Promise<number> {
  const rows = await db
    .delete(todos)
    .where(and(eq(todos.userId, userId), eq(todos.completed, true)))
    .returning({ id: todos.id });
  return rows.length;
}
