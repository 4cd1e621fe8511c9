// What the routes tell the OpenAPI document about themselves, through hono-openapi: each route's
// describeRoute(), and its validators' schemas (validation.ts). The document is generated from them
// at build time (openapi/document.ts); in the Worker they are plain objects a request never reads.
// Error answers are plain references to the one Error schema, so describing a route needs no zod.
import { type DescribeRouteOptions, resolver } from "hono-openapi";
import type { ErrorBody } from "#contract";

export { describeRoute } from "hono-openapi";

type Responses = NonNullable<DescribeRouteOptions["responses"]>;
type Response = Responses[string];

/** Response headers worth documenting: components/headers in the document. */
export type ResponseHeaderName = "ETag" | "Location" | "Idempotent-Replayed" | "Retry-After";

/** Request headers the API reads: components/parameters in the document. */
export type RequestHeaderName = "If-Match" | "Idempotency-Key";

function headerRefs(names: readonly string[]): { headers?: Record<string, { $ref: string }> } {
  if (!names.length) return {};
  return { headers: Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }])) };
}

/** A JSON answer whose body is `schema` (a zod schema: the side the API writes). */
export function jsonResponse(
  description: string,
  schema: Parameters<typeof resolver>[0],
  headers: ResponseHeaderName[] = [],
): Response {
  const body = resolver(schema, { options: { io: "output" } });
  return { description, ...headerRefs(headers), content: { "application/json": { schema: body } } };
}

/**
 * Answers that several routes give in the same words, as the examples of their error responses. A
 * route whose answer for a status is its own passes it with the description (errorResponses).
 */
const COMMON_ERRORS: Partial<Record<number, ErrorBody>> = {
  400: {
    detail: "Request body must be JSON (Content-Type: application/json)",
    status_code: 400,
    error_type: "validation_error",
  },
  // The access-token check (auth/access-token.ts), for a request without a token.
  401: {
    detail: "Missing Authorization header; send `Authorization: Bearer <access token>`",
    status_code: 401,
    error_type: "authentication_error",
  },
  413: { detail: "Request body exceeds 64 KiB", status_code: 413, error_type: "payload_too_large" },
  // The catch-all of errors.ts: a misconfigured deployment is the 500 an operator meets first.
  500: { detail: "The server is misconfigured; see the Worker logs", status_code: 500, error_type: "internal_error" },
  503: {
    detail: "The database is unavailable; please retry shortly",
    status_code: 503,
    error_type: "service_unavailable",
  },
};

/** An error answer: its description, and the answer itself (an AppError or its body) as the example. */
export interface ErrorAnswer {
  description: string;
  example: ErrorBody | { toBody(): ErrorBody };
}

/**
 * Error answers in the one error shape (or a schema that extends it), by status:
 * `{404: {description: "No such todo", example: todoNotFound()}}`, or just the description where
 * the answer is one of COMMON_ERRORS. Each gets its answer as the example Swagger UI shows.
 */
export function errorResponses(
  errors: Record<number, string | ErrorAnswer>,
  schema: "Error" | "AuthError" = "Error",
): Responses {
  return Object.fromEntries(
    Object.entries(errors).map(([status, answer]) => {
      const { description, example } =
        typeof answer === "string" ? { description: answer, example: undefined } : answer;
      const body = example && "toBody" in example ? example.toBody() : (example ?? COMMON_ERRORS[Number(status)]);
      if (!body) throw new Error(`The ${status} answer "${description}" needs its example (an AppError or its body)`);
      return [
        status,
        {
          description,
          ...headerRefs(status === "429" || status === "503" ? ["Retry-After"] : []),
          content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` }, example: body } },
        },
      ];
    }),
  );
}

/** References to the request headers a route reads, for describeRoute's `parameters`. */
export function headerParameters(...names: RequestHeaderName[]): NonNullable<DescribeRouteOptions["parameters"]> {
  return names.map((name) => ({ $ref: `#/components/parameters/${name}` }));
}
