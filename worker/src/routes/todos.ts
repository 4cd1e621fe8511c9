// The todo resource: list, create, read, update, delete, complete all, clear completed. Every
// handler works on the JWT subject's rows only; another user's todo is indistinguishable from none.

import { Hono } from "hono";
import type { RouterRoute } from "hono/types";
import { MAX_TODOS_PER_USER } from "#contract";
import {
  createTodo,
  deleteCompleted,
  deleteTodo,
  getTodo,
  listTodos,
  setAllCompleted,
  updateTodo,
  type WriteResult,
} from "../db/queries/todos.ts";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import {
  describeRoute,
  type ErrorAnswer,
  errorResponses,
  headerParameters,
  jsonResponse,
} from "../openapi/describe.ts";
import { JSON_BODY_ERRORS, jsonBody, QUERY_ERRORS, queryParams } from "../validation.ts";
import {
  ClearCompletedResult,
  ClearTodosQuery,
  CompleteAllBody,
  CompleteAllResult,
  CreateTodoBody,
  encodeCursor,
  etag,
  ListTodosQuery,
  parseIdempotencyKey,
  parseIfMatch,
  Todo,
  TodoId,
  TodoPage,
  toTodoJson,
  UpdateTodoBody,
} from "./todo-schemas.ts";

/** A todo id from the path; a malformed one cannot exist, so it is simply not found. */
function todoId(raw: string): string {
  if (!TodoId.safeParse(raw).success) throw todoNotFound();
  return raw;
}

const todoNotFound = () => new AppError("not_found", "Todo not found");
const todoLimitReached = () =>
  new AppError("conflict", `You can have at most ${MAX_TODOS_PER_USER} todos; delete some first`);
const idempotencyKeyReused = () =>
  new AppError("validation_error", "This Idempotency-Key was already used for a different todo");
const todoChanged = () =>
  new AppError("precondition_failed", "The todo changed since you read it; reload it and try again");

/** The route's operationId: the todo routes are mounted twice, the second time under /api/users/:userId. */
const operationId = (name: string) => (route: RouterRoute) =>
  route.path.includes(":userId") ? `${name}ByUserId` : name;

const idParameter = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
} as const;
const notFoundError = {
  404: {
    description: "No such todo for this user (also for a malformed id or another user's todo)",
    example: todoNotFound(),
  },
};
const ifMatchErrors = {
  400: {
    description: "If-Match is not an ETag from this API",
    example: {
      detail: 'If-Match must be an ETag from this API, e.g. "3"',
      status_code: 400,
      error_type: "validation_error",
    },
  },
  412: {
    description: "The todo changed since the version in If-Match; reload it and try again",
    example: todoChanged(),
  },
} satisfies Record<number, ErrorAnswer>;

export const todoRoutes = new Hono<AuthedEnv>()
  .get(
    "/",
    describeRoute({
      operationId: operationId("listTodos"),
      summary: "List todos",
      description: "A page of the caller's todos, ordered by position, then by creation.",
      responses: { 200: jsonResponse("A page of todos", TodoPage), ...errorResponses(QUERY_ERRORS) },
    }),
    queryParams(ListTodosQuery),
    async (c) => {
      const { status, limit, cursor } = c.req.valid("query");
      const { rows, hasMore } = await listTodos(c.var.db, c.var.user.sub, { status, limit, after: cursor });
      const last = rows.at(-1);
      return c.json({ items: rows.map(toTodoJson), nextCursor: hasMore && last ? encodeCursor(last) : null });
    },
  )
  .post(
    "/",
    describeRoute({
      operationId: operationId("createTodo"),
      summary: "Create a todo",
      description: "With an `Idempotency-Key`, a retried request creates nothing new and answers the first todo again.",
      parameters: headerParameters("Idempotency-Key"),
      responses: {
        201: jsonResponse("The new todo (or, for a repeated Idempotency-Key, the one it created first)", Todo, [
          "Location",
          "ETag",
          "Idempotent-Replayed",
        ]),
        ...errorResponses({
          ...JSON_BODY_ERRORS,
          400: "The body is not JSON, or the Idempotency-Key is malformed",
          401: "No access token, or a malformed, expired or forged one, or one whose account no longer exists",
          409: { description: `The user already has ${MAX_TODOS_PER_USER} todos`, example: todoLimitReached() },
          422: {
            description:
              "The body has the wrong shape (`detail` names the field), or the Idempotency-Key was used for a different todo",
            example: JSON_BODY_ERRORS[422].example,
          },
        }),
      },
    }),
    jsonBody(CreateTodoBody, { title: "Buy milk", dueAt: "2030-01-01T09:00:00Z" }),
    async (c) => {
      const idempotencyKey = parseIdempotencyKey(c.req.header("Idempotency-Key"));
      const result = await createTodo(c.var.db, c.var.user.sub, { ...c.req.valid("json"), idempotencyKey });
      if (result.kind === "limit-reached") {
        throw todoLimitReached();
      }
      if (result.kind === "key-reused") throw idempotencyKeyReused();
      if (result.kind === "no-owner") {
        // The token is genuine but its account is gone: the same answer as any token that cannot be used.
        throw new AppError("authentication_error", "This account no longer exists", {
          headers: { "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"' },
        });
      }
      const { row } = result;
      return c.json(toTodoJson(row), 201, {
        Location: `${c.req.path.replace(/\/$/, "")}/${row.id}`,
        ETag: etag(row),
        ...(result.kind === "replayed" ? { "Idempotent-Replayed": "true" } : {}),
      });
    },
  )
  .post(
    "/complete-all",
    describeRoute({
      operationId: operationId("completeAllTodos"),
      summary: "Complete (or reopen) every todo",
      responses: {
        200: jsonResponse("How many todos changed", CompleteAllResult),
        ...errorResponses(JSON_BODY_ERRORS),
      },
    }),
    jsonBody(CompleteAllBody, { completed: true }),
    async (c) => {
      const updated = await setAllCompleted(c.var.db, c.var.user.sub, c.req.valid("json").completed);
      return c.json({ updated });
    },
  )
  .delete(
    "/",
    describeRoute({
      operationId: operationId("clearCompletedTodos"),
      summary: "Delete every completed todo",
      responses: {
        200: jsonResponse("How many todos were deleted", ClearCompletedResult),
        ...errorResponses(QUERY_ERRORS),
      },
    }),
    queryParams(ClearTodosQuery),
    async (c) => {
      const deleted = await deleteCompleted(c.var.db, c.var.user.sub);
      return c.json({ deleted });
    },
  )
  .get(
    "/:id",
    describeRoute({
      operationId: operationId("getTodo"),
      summary: "Read a todo",
      parameters: [idParameter],
      responses: {
        200: jsonResponse("The todo; its ETag is its version", Todo, ["ETag"]),
        ...errorResponses(notFoundError),
      },
    }),
    async (c) => {
      const row = await getTodo(c.var.db, c.var.user.sub, todoId(c.req.param("id")));
      if (!row) throw todoNotFound();
      return c.json(toTodoJson(row), 200, { ETag: etag(row) });
    },
  )
  .patch(
    "/:id",
    describeRoute({
      operationId: operationId("updateTodo"),
      summary: "Change a todo",
      description: "Send `If-Match` with the version you read, so a change made elsewhere is not overwritten.",
      parameters: [idParameter, ...headerParameters("If-Match")],
      responses: {
        200: jsonResponse("The changed todo", Todo, ["ETag"]),
        ...errorResponses({
          ...JSON_BODY_ERRORS,
          ...notFoundError,
          ...ifMatchErrors,
          400: "The body is not JSON, or If-Match is not an ETag from this API",
        }),
      },
    }),
    jsonBody(UpdateTodoBody, { completed: true }),
    async (c) => {
      const id = todoId(c.req.param("id"));
      const expectedVersion = parseIfMatch(c.req.header("If-Match"));
      const row = settle(await updateTodo(c.var.db, c.var.user.sub, id, c.req.valid("json"), expectedVersion));
      return c.json(toTodoJson(row), 200, { ETag: etag(row) });
    },
  )
  .delete(
    "/:id",
    describeRoute({
      operationId: operationId("deleteTodo"),
      summary: "Delete a todo",
      parameters: [idParameter, ...headerParameters("If-Match")],
      responses: { 204: { description: "Deleted" }, ...errorResponses({ ...notFoundError, ...ifMatchErrors }) },
    }),
    async (c) => {
      const id = todoId(c.req.param("id"));
      settle(await deleteTodo(c.var.db, c.var.user.sub, id, parseIfMatch(c.req.header("If-Match"))));
      return c.body(null, 204);
    },
  );

/** The value of a conditional write, or the error that says why it did not happen. */
function settle<T>(result: WriteResult<T>): T {
  if (result.kind === "not-found") throw todoNotFound();
  if (result.kind === "version-mismatch") {
    throw todoChanged();
  }
  return result.value;
}
