// The Worker's own routes as OpenAPI paths, generated from app.routes: each route's describeRoute()
// doc, its validators' schemas, and the guards in front of it (requireJwt, the owner check). A
// guard applies where Hono runs it: registered before the route, on a pattern that matches it.
import type { RouterRoute } from "hono/types";
import * as z from "zod";
import { requireJwt } from "../middleware/require-jwt.ts";
import { docOf, type RequestHeaderName, type ResponseDoc, type RouteDoc } from "./describe.ts";
import { ErrorBody } from "./error-schema.ts";
import { componentRef, isObject, type JsonObject, SchemaSet } from "./json-schema.ts";

/** Docs for guards whose own module does not carry one. */
const GUARD_DOCS = new Map<unknown, RouteDoc>([
  [
    requireJwt,
    {
      security: [{ bearerAuth: [] }],
      errors: {
        401: "No access token, or a malformed, expired or forged one",
        503: "The database is unavailable (signing keys could not be loaded, or the query failed)",
      },
    },
  ],
]);

export const REQUEST_HEADERS: Record<RequestHeaderName, JsonObject> = {
  "If-Match": {
    name: "If-Match",
    in: "header",
    description:
      'The ETag you read (`"<version>"`): the change happens only if the todo is still at that version. `*` or none: any version.',
    schema: { type: "string", examples: ['"3"'] },
  },
  "Idempotency-Key": {
    name: "Idempotency-Key",
    in: "header",
    description:
      "Any 1–255 printable ASCII characters (a UUID, say): retrying with the same key creates the todo once.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  },
};

export const RESPONSE_HEADERS: Record<string, JsonObject> = {
  ETag: { description: 'The todo\'s version, as `"<version>"`: send it back in If-Match', schema: { type: "string" } },
  Location: { description: "The new todo's URL", schema: { type: "string" } },
  "Idempotent-Replayed": {
    description: "`true` when the Idempotency-Key was seen before and this is the todo it created",
    schema: { type: "string", enum: ["true"] },
  },
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } },
  "X-Request-Id": { description: "The request's id, also in the Worker's logs", schema: { type: "string" } },
};

const SERVER_ERROR = "Unexpected server error or misconfiguration; the logs have it under X-Request-Id";

export interface PathsPart {
  paths: Record<string, Record<string, JsonObject>>;
  schemas: SchemaSet;
}

interface Operation {
  method: string;
  path: string;
  /** Index of the operation's first handler in app.routes. */
  at: number;
  docs: RouteDoc[];
}

/** "/api/todos/:id" → "/api/todos/{id}" */
export const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** Whether Hono runs a middleware on `pattern` (e.g. "/api/users/:userId/*") for a route on `path`. */
function covers(pattern: string, path: string): boolean {
  const source = pattern
    .split("/")
    .map((part) => (part === "*" ? ".*" : part.startsWith(":") ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source.replace(/\/\.\*$/, "(?:/.*)?")}$`).test(path);
}

/** The routes to document, but those under `skip` (Better Auth's, which document themselves). */
function operations(routes: readonly RouterRoute[], skip: string): Operation[] {
  const byKey = new Map<string, Operation>();
  routes.forEach((route, at) => {
    if (route.method === "ALL" || route.path.startsWith(`${skip}/`)) return;
    const key = `${route.method} ${route.path}`;
    const op = byKey.get(key) ?? { method: route.method, path: route.path, at, docs: [] };
    byKey.set(key, op);
    const doc = docOf(route.handler);
    if (doc) op.docs.push(doc);
  });
  for (const op of byKey.values()) {
    const guards = routes
      .slice(0, op.at)
      .filter((route) => route.method === "ALL" && covers(route.path, op.path))
      .map((route) => docOf(route.handler) ?? GUARD_DOCS.get(route.handler))
      .filter((doc): doc is RouteDoc => doc !== undefined);
    op.docs.unshift(...guards);
  }
  return [...byKey.values()];
}

/** Guards first, then validators, then the route's own describeRoute(): later says more. */
function merge(docs: RouteDoc[]): RouteDoc {
  const ordered = [...docs.filter((doc) => !doc.operationId), ...docs.filter((doc) => doc.operationId)];
  const merged: RouteDoc = {};
  for (const { params, errors, responses, headers, description: _, ...rest } of ordered) {
    Object.assign(merged, rest);
    merged.params = { ...merged.params, ...params };
    merged.errors = { ...merged.errors, ...errors };
    merged.responses = { ...merged.responses, ...responses };
    merged.headers = [...new Set([...(merged.headers ?? []), ...(headers ?? [])])];
  }
  // The route's own description first, then what its validators and guards add.
  const descriptions = ordered.flatMap((doc) => doc.description ?? []).reverse();
  if (descriptions.length) merged.description = descriptions.join("\n\n");
  return merged;
}

function parameter(name: string, where: "path" | "query", schema: JsonObject, required: boolean): JsonObject {
  const { description, ...rest } = schema;
  return { name, in: where, required, ...(description ? { description } : {}), schema: rest };
}

function response(doc: ResponseDoc, schemas: SchemaSet): JsonObject {
  const body = doc.body;
  const content =
    body === undefined
      ? undefined
      : "mediaType" in body
        ? { [body.mediaType]: {} }
        : { "application/json": { schema: schemas.convert(body as z.ZodType, "output") } };
  const headers = doc.headers?.length
    ? Object.fromEntries(doc.headers.map((name) => [name, { $ref: `#/components/headers/${name}` }]))
    : undefined;
  return { description: doc.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

function errorResponse(status: number, description: string): JsonObject {
  const headers = status === 429 || status === 503 ? ["Retry-After"] : status === 500 ? ["X-Request-Id"] : [];
  return {
    description,
    ...(headers.length
      ? { headers: Object.fromEntries(headers.map((h) => [h, { $ref: `#/components/headers/${h}` }])) }
      : {}),
    content: { "application/json": { schema: componentRef("Error") } },
  };
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The Worker's own routes in `routes` (app.routes) as OpenAPI paths: all but those under `skip`. */
export function apiPaths(routes: readonly RouterRoute[], skip: string): PathsPart {
  const schemas = new SchemaSet();
  schemas.convert(ErrorBody, "output");
  const paths: PathsPart["paths"] = {};
  const usedIds = new Set<string>();

  for (const op of operations(routes, skip)) {
    const doc = merge(op.docs);
    const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
    const parameters: JsonObject[] = pathParams.map((name) =>
      parameter(name, "path", schemas.convert(doc.params?.[name] ?? z.string(), "input"), true),
    );
    if (doc.query) {
      const query = schemas.convert(doc.query, "input");
      const required = new Set(Array.isArray(query.required) ? query.required : []);
      const properties = isObject(query.properties) ? query.properties : {};
      for (const [name, schema] of Object.entries(properties)) {
        parameters.push(parameter(name, "query", schema as JsonObject, required.has(name)));
      }
    }
    for (const header of doc.headers ?? []) parameters.push({ $ref: `#/components/parameters/${header}` });

    const responses: JsonObject = {};
    for (const [status, res] of Object.entries(doc.responses ?? {})) responses[status] = response(res, schemas);
    for (const [status, description] of Object.entries({ ...doc.errors, 500: SERVER_ERROR })) {
      responses[status] ??= errorResponse(Number(status), description);
    }

    let operationId = doc.operationId ?? `${op.method.toLowerCase()}${op.path.split(/\W+/).map(pascal).join("")}`;
    // The todo routes are mounted twice (/api/todos, /api/users/:userId/todos): "listTodosByUserId".
    if (usedIds.has(operationId) && pathParams[0]) operationId += `By${pascal(pathParams[0])}`;
    if (usedIds.has(operationId)) throw new Error(`OpenAPI: two routes have the operationId "${operationId}"`);
    usedIds.add(operationId);

    const openApiPath = toOpenApiPath(op.path);
    paths[openApiPath] ??= {};
    paths[openApiPath][op.method.toLowerCase()] = {
      tags: doc.tags ?? [op.path.split("/")[2] ?? "api"],
      operationId,
      ...(doc.summary ? { summary: doc.summary } : {}),
      ...(doc.description ? { description: doc.description } : {}),
      security: doc.security ?? [],
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemas.convert(doc.body, "input") } },
            },
          }
        : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
    };
  }
  return { paths, schemas };
}
