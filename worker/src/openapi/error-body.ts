// The standard error body as a zod schema, for the OpenAPI document: the same three fields that
// errors.ts writes on every failing response.
import * as z from "zod";
import { ERROR_TYPES, type ErrorType } from "#contract";

// Loose: Better Auth's errors and the health check add fields of their own.
export const ErrorBody = z
  .looseObject({
    detail: z.string().describe("What went wrong, written for people; never internals"),
    status_code: z.int().describe("The HTTP status, repeated"),
    error_type: z.enum(Object.keys(ERROR_TYPES) as [ErrorType, ...ErrorType[]]),
  })
  .meta({ id: "Error", description: "Every error answer of the API has these fields" });
