// OpenAPI descriptions carried by the routes themselves. describeRoute() is a pass-through middleware
// holding an operation's summary, responses and errors; the validators and guards attach what they
// check (body, query, path parameters, 403). openapi/api-document.ts reads them back from app.routes
// when the document is built (dev/openapi.ts, at build time), so it lists exactly the routes the app
// mounts, with the schemas that validate them. At run time they cost one no-op call per request.
import type { MiddlewareHandler } from "hono";
import type * as z from "zod";

const ROUTE_DOC = Symbol("openapi");

/** Request headers the API reads: components/parameters in the document. */
export type RequestHeaderName = "If-Match" | "Idempotency-Key";

/** Response headers worth documenting: components/headers in the document. */
export type ResponseHeaderName = "ETag" | "Location" | "Idempotent-Replayed" | "Retry-After";

export interface ResponseDoc {
  description: string;
  /** The body: a zod schema for JSON, or another media type's plain description. */
  body?: z.ZodType | { mediaType: string };
  headers?: ResponseHeaderName[];
}

/** What a handler, validator or guard tells the document about the routes it sits on. */
export interface RouteDoc {
  operationId?: string;
  summary?: string;
  /** Markdown. Guards' descriptions are appended to the route's. */
  description?: string;
  /** Default: the path's first segment after /api ("todos", "users", …). */
  tags?: string[];
  /** Path parameters; any not listed is a plain string. */
  params?: Record<string, z.ZodType>;
  /** Request headers the route reads. */
  headers?: RequestHeaderName[];
  /** The query string, as validated (input side of the schema). */
  query?: z.ZodType;
  /** The JSON body, as validated (input side of the schema). */
  body?: z.ZodType;
  /** Successful answers, and error answers whose body is more than the standard error shape. */
  responses?: Record<number, ResponseDoc>;
  /** Other error statuses and when they happen; their body is the standard error shape. */
  errors?: Record<number, string>;
  /** Security requirements (OpenAPI); routes without a guard that sets them are public. */
  security?: Record<string, string[]>[];
}

type WithDoc<H> = H & { [ROUTE_DOC]: RouteDoc };

/** Attaches `doc` to a middleware or handler (returned as is, so its types flow on). */
export function withDoc<H extends (...args: never[]) => unknown>(handler: H, doc: RouteDoc): WithDoc<H> {
  return Object.assign(handler, { [ROUTE_DOC]: doc });
}

/** A middleware that only documents the route: `.get("/", describeRoute({...}), handler)`. */
export function describeRoute(doc: RouteDoc): MiddlewareHandler {
  return withDoc<MiddlewareHandler>((_c, next) => next(), doc);
}

/** The documentation attached to a route's handler, if any. */
export function docOf(handler: unknown): RouteDoc | undefined {
  return typeof handler === "function" ? (handler as Partial<WithDoc<unknown>>)[ROUTE_DOC] : undefined;
}
