// Request validation with zod through hono-openapi's validator, which also hands each schema to the
// OpenAPI document. Failures become 400 (not JSON at all) or 422 (JSON of the wrong shape) in the
// standard error shape, naming the offending field.
import type { Context } from "hono";
import { describeRoute, resolver, validator } from "hono-openapi";
import type * as z from "zod";
import { AppError } from "./errors.ts";
import type { ErrorAnswer } from "./openapi/describe.ts";

/** What a failed standard-schema validation reports; zod's issues also carry `code` and `keys`. */
interface Issue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
  readonly code?: string;
  readonly keys?: readonly string[];
}

function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === "unrecognized_keys" && issue.keys) {
        return `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      }
      const field = (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part)).join(".");
      return field ? `"${field}": ${issue.message}` : issue.message;
    })
    .join("; ");
}

function invalid(result: { success: boolean; error?: readonly Issue[] }): void {
  if (!result.success) throw new AppError("validation_error", describeIssues(result.error ?? []));
}

function isJsonRequest(c: Context): boolean {
  return c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/**
 * Validates a JSON body against `schema`; the parsed value is `c.req.valid("json")`. `example` is
 * the body the OpenAPI document shows, which Swagger UI's "Try it out" sends.
 */
export function jsonBody<T extends z.ZodType>(schema: T, example: z.input<T>) {
  const validate = validator("json", schema, (result, c) => {
    // Hono's json validator reads only JSON bodies and hands anything else over as `{}`.
    if (!isJsonRequest(c)) {
      throw new AppError("validation_error", "Request body must be JSON (Content-Type: application/json)", {
        status: 400,
      });
    }
    invalid(result);
  });
  // zod leaves `examples` out of a schema whose input differs from its output (a due date becomes a
  // Date), so the example goes on the request body instead: this description of it replaces the
  // validator's own, with the same schema.
  const body = { schema: resolver(schema, { options: { io: "input" } }), example };
  Object.assign(validate, describeRoute({ requestBody: { required: true, content: { "application/json": body } } }));
  return validate;
}

/** Validates the query string against `schema`; the parsed value is `c.req.valid("query")`. */
export const queryParams = <T extends z.ZodType>(schema: T) => validator("query", schema, (result) => invalid(result));

/** What every route with a JSON body may answer besides its own errors. */
export const JSON_BODY_ERRORS = {
  400: "The body is not JSON (wrong Content-Type, or malformed)",
  413: "The body is larger than 64 KiB",
  422: {
    description: "The body has the wrong shape; `detail` names the field",
    // Every body schema is strict: a field the route does not take is refused, never ignored.
    example: { detail: 'Unknown field "userId"', status_code: 422, error_type: "validation_error" },
  },
} satisfies Record<number, string | ErrorAnswer>;

export const QUERY_ERRORS = {
  422: {
    description: "A query parameter is unknown or invalid; `detail` names it",
    example: { detail: 'Unknown field "sort"', status_code: 422, error_type: "validation_error" },
  },
} satisfies Record<number, ErrorAnswer>;
