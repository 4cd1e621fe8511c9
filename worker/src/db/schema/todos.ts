// The todos table: every row belongs to one user and goes when the user does.

import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { TITLE_MAX_LENGTH } from "#contract";
import { user } from "./auth.ts";
import { timestamptz } from "./timestamptz.ts";

export const todos = pgTable(
  "todos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    completed: boolean("completed").notNull().default(false),
    // A float so a client can move an item between two others without renumbering the list.
    position: doublePrecision("position").notNull(),
    // Millisecond precision (timestamptz.ts): the list cursor carries createdAt through a JS Date,
    // which has no more. Any year a client may send for dueAt (0001–9999) reads back as it was.
    dueAt: timestamptz("due_at"),
    createdAt: timestamptz("created_at").notNull().default(sql`now()`),
    updatedAt: timestamptz("updated_at").notNull().default(sql`now()`),
    // Bumped by every change; clients send it back in If-Match so a stale tab cannot overwrite.
    version: integer("version").notNull().default(1),
    // The Idempotency-Key of the request that created the row: a retried create finds it again.
    idempotencyKey: text("idempotency_key"),
  },
  (table) => [
    // Serves the list query (one user's items in display order) and its keyset cursor.
    index("todos_user_order_idx").on(table.userId, table.position, table.createdAt, table.id),
    uniqueIndex("todos_user_idempotency_key_idx")
      .on(table.userId, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    // The API validates titles first; this keeps any other writer honest.
    check("todos_title_length", sql`char_length(${table.title}) between 1 and ${sql.raw(String(TITLE_MAX_LENGTH))}`),
  ],
);

export type TodoRow = typeof todos.$inferSelect;
