// The todo resource: list, create, read, update, delete, complete all, clear completed. Every
// handler works on the JWT subject's rows only; another user's todo is indistinguishable from none.
import { Hono } from "hono";
import {
  createTodo,
  deleteCompleted,
  deleteTodo,
  getTodo,
  listTodos,
  MAX_TODOS_PER_USER,
  setAllCompleted,
  updateTodo,
  type WriteResult,
} from "../db/queries/todos.ts";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { jsonBody, queryParams } from "../validation.ts";
import {
  ClearTodosQuery,
  CompleteAllBody,
  CreateTodoBody,
  encodeCursor,
  etag,
  ListTodosQuery,
  parseIdempotencyKey,
  parseIfMatch,
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
    const idempotencyKey = parseIdempotencyKey(c.req.header("Idempotency-Key"));
    const result = await createTodo(c.var.db, c.var.user.sub, { ...c.req.valid("json"), idempotencyKey });
    if (result.kind === "limit-reached") {
      throw new AppError("conflict", `You can have at most ${MAX_TODOS_PER_USER} todos; delete some first`);
    }
    if (result.kind === "key-reused") {
      throw new AppError("validation_error", "This Idempotency-Key was already used for a different todo");
    }
    const { row } = result;
    return c.json(toTodoJson(row), 201, {
      Location: `${c.req.path.replace(/\/$/, "")}/${row.id}`,
      ETag: etag(row),
      ...(result.kind === "replayed" ? { "Idempotent-Replayed": "true" } : {}),
    });
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
    return c.json(toTodoJson(row), 200, { ETag: etag(row) });
  })
  .patch("/:id", jsonBody(UpdateTodoBody), async (c) => {
    const id = todoId(c.req.param("id"));
    const expectedVersion = parseIfMatch(c.req.header("If-Match"));
    const row = settle(await updateTodo(c.var.db, c.var.user.sub, id, c.req.valid("json"), expectedVersion));
    return c.json(toTodoJson(row), 200, { ETag: etag(row) });
  })
  .delete("/:id", async (c) => {
    const id = todoId(c.req.param("id"));
    settle(await deleteTodo(c.var.db, c.var.user.sub, id, parseIfMatch(c.req.header("If-Match"))));
    return c.body(null, 204);
  });

/** The value of a conditional write, or the error that says why it did not happen. */
function settle<T>(result: WriteResult<T>): T {
  if (result.kind === "not-found") throw todoNotFound();
  if (result.kind === "version-mismatch") {
    throw new AppError("precondition_failed", "The todo changed since you read it; reload it and try again");
  }
  return result.value;
}
