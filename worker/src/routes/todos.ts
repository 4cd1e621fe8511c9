// The todo resource: list, create, read, update, delete, complete all, clear completed. Every
// handler works on the JWT subject's rows only; another user's todo is indistinguishable from none.
import { Hono } from "hono";
import {
  createTodo,
  deleteCompleted,
  deleteTodo,
  getTodo,
  listTodos,
  setAllCompleted,
  updateTodo,
} from "../db/queries/todos.ts";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { jsonBody, queryParams } from "../validation.ts";
import {
  ClearTodosQuery,
  CompleteAllBody,
  CreateTodoBody,
  encodeCursor,
  ListTodosQuery,
  TodoId,
  toTodoJson,
  UpdateTodoBody,
} from "./todo-schemas.ts";

/** A todo id from the path; a malformed one cannot exist, so it is simply not found. */
function todoId(raw: string): string {
  if (!TodoId.safeParse(raw).success) throw todoNotFound();
  return raw;
}

const todoNotFound = () => new AppError("not_found", "Todo not found");

export const todoRoutes = new Hono<AuthedEnv>()
  .get("/", queryParams(ListTodosQuery), async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const { rows, hasMore } = await listTodos(c.var.db, c.var.user.sub, { status, limit, after: cursor });
    const last = rows.at(-1);
    return c.json({ items: rows.map(toTodoJson), nextCursor: hasMore && last ? encodeCursor(last) : null });
  })
  .post("/", jsonBody(CreateTodoBody), async (c) => {
    const row = await createTodo(c.var.db, c.var.user.sub, c.req.valid("json"));
    return c.json(toTodoJson(row), 201, { Location: `${c.req.path.replace(/\/$/, "")}/${row.id}` });
  })
  .post("/complete-all", jsonBody(CompleteAllBody), async (c) => {
    const updated = await setAllCompleted(c.var.db, c.var.user.sub, c.req.valid("json").completed);
    return c.json({ updated });
  })
  .delete("/", queryParams(ClearTodosQuery), async (c) => {
    const deleted = await deleteCompleted(c.var.db, c.var.user.sub);
    return c.json({ deleted });
  })
  .get("/:id", async (c) => {
    const row = await getTodo(c.var.db, c.var.user.sub, todoId(c.req.param("id")));
    if (!row) throw todoNotFound();
    return c.json(toTodoJson(row));
  })
  .patch("/:id", jsonBody(UpdateTodoBody), async (c) => {
    const row = await updateTodo(c.var.db, c.var.user.sub, todoId(c.req.param("id")), c.req.valid("json"));
    if (!row) throw todoNotFound();
    return c.json(toTodoJson(row));
  })
  .delete("/:id", async (c) => {
    const deleted = await deleteTodo(c.var.db, c.var.user.sub, todoId(c.req.param("id")));
    if (!deleted) throw todoNotFound();
    return c.body(null, 204);
  });
