// Every todo query, each one statement (one round trip) with the owner in its WHERE clause, so a
// user can never read or change another user's rows and an ownership check costs nothing extra.
import { and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
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

export async function createTodo(
  db: Db,
  userId: string,
  input: { title: string; dueAt?: Date | null },
): Promise<TodoRow> {
  const [row] = await db
    .insert(todos)
    .values({
      userId,
      title: input.title,
      dueAt: input.dueAt ?? null,
      // Appended after the user's last item, computed in the same statement.
      position: sql`(select coalesce(max(${todos.position}), 0) + 1 from ${todos} where ${todos.userId} = ${userId})`,
    })
    .returning();
  if (!row) throw new Error("INSERT … RETURNING returned no row");
  return row;
}

export async function updateTodo(db: Db, userId: string, id: string, patch: TodoPatch): Promise<TodoRow | undefined> {
  const [row] = await db
    .update(todos)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(todos.id, id), eq(todos.userId, userId)))
    .returning();
  return row;
}

export async function deleteTodo(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(todos)
    .where(and(eq(todos.id, id), eq(todos.userId, userId)))
    .returning({ id: todos.id });
  return rows.length > 0;
}

/** Marks every one of the user's todos completed (or active); returns how many changed. */
export async function setAllCompleted(db: Db, userId: string, completed: boolean): Promise<number> {
  const rows = await db
    .update(todos)
    .set({ completed, updatedAt: sql`now()` })
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
