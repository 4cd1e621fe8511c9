// Request validation with zod: JSON bodies and query strings. Failures become 400 (not JSON at all)
// or 422 (JSON of the wrong shape) in the standard error shape, naming the offending field. Each
// validator also carries its schema for the OpenAPI document.
import { validator } from "hono/validator";
import type * as z from "zod";
import { AppError } from "./errors.ts";
import { withDoc } from "./openapi/describe.ts";

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === "unrecognized_keys") {
        return `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      }
      const field = issue.path.join(".");
      return field ? `"${field}": ${issue.message}` : issue.message;
    })
    .join("; ");
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("validation_error", describeIssues(result.error.issues));
  return result.data;
}

/** Validates a JSON body against `schema`; the parsed value is `c.req.valid("json")`. */
export const jsonBody = <T extends z.ZodType>(schema: T) =>
  withDoc(
    validator("json", (value, c) => {
      // Hono's json validator reads only JSON bodies and hands anything else over as `{}`.
      const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") {
        throw new AppError("validation_error", "Request body must be JSON (Content-Type: application/json)", {
          status: 400,
        });
      }
      return parseOrThrow(schema, value);
    }),
    {
      body: schema,
      errors: {
        400: "The body is not JSON (wrong Content-Type, or malformed)",
        413: "The body is larger than 64 KiB",
        422: "The body has the wrong shape; `detail` names the field",
      },
    },
  );

/** Validates the query string against `schema`; the parsed value is `c.req.valid("query")`. */
export const queryParams = <T extends z.ZodType>(schema: T) =>
  withDoc(
    validator("query", (value) => parseOrThrow(schema, value)),
    { query: schema, errors: { 422: "A query parameter is unknown or invalid; `detail` names it" } },
  );
