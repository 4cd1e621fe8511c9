// Request validation with zod: JSON bodies and query strings. Failures become 400 (not JSON at all)
// or 422 (JSON of the wrong shape) in the standard error shape, naming the offending field.
import { validator } from "hono/validator";
import type * as z from "zod";
import { AppError } from "./errors.ts";

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
  validator("json", (value, c) => {
    // Hono's json validator reads only JSON bodies and hands anything else over as `{}`.
    const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      throw new AppError("validation_error", "Request body must be JSON (Content-Type: application/json)", {
        status: 400,
      });
    }
    return parseOrThrow(schema, value);
  });

/** Validates the query string against `schema`; the parsed value is `c.req.valid("query")`. */
export const queryParams = <T extends z.ZodType>(schema: T) =>
  validator("query", (value) => parseOrThrow(schema, value));
