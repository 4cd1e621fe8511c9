// What the routes tell the OpenAPI document about themselves, through hono-openapi: each route's
// describeRoute(), and its validators' schemas (validation.ts). The document is generated from them
// at build time (openapi/document.ts); in the Worker they are plain objects a request never reads.
// Error answers are plain references to the one Error schema, so describing a route needs no zod.
import { type DescribeRouteOptions, resolver } from "hono-openapi";

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

/** Error answers in the one error shape (or a schema that extends it), by status: `{404: "No such todo"}`. */
export function errorResponses(errors: Record<number, string>, schema: "Error" | "AuthError" = "Error"): Responses {
  return Object.fromEntries(
    Object.entries(errors).map(([status, description]) => [
      status,
      {
        description,
        ...headerRefs(status === "429" || status === "503" ? ["Retry-After"] : []),
        content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
      },
    ]),
  );
}

/** References to the request headers a route reads, for describeRoute's `parameters`. */
export function headerParameters(...names: RequestHeaderName[]): NonNullable<DescribeRouteOptions["parameters"]> {
  return names.map((name) => ({ $ref: `#/components/parameters/${name}` }));
}
