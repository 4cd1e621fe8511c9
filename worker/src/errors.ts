// The one error type and the one error JSON shape: `{detail, status_code, error_type}` on every
// failing response, whether it comes from a route, Better Auth, the database or an unknown bug.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ConfigError } from "./config.ts";
import { classifyDatabaseError, describeDatabaseError } from "./db/errors.ts";

export const ERROR_TYPES = {
  validation_error: 422,
  authentication_error: 401,
  authorization_error: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorType = keyof typeof ERROR_TYPES;

export interface ErrorBody {
  detail: string;
  status_code: number;
  error_type: ErrorType;
}

export class AppError extends Error {
  override name = "AppError";
  readonly errorType: ErrorType;
  readonly status: ContentfulStatusCode;
  readonly headers: Record<string, string>;

  constructor(
    errorType: ErrorType,
    detail: string,
    options: { status?: ContentfulStatusCode; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.errorType = errorType;
    this.status = options.status ?? ERROR_TYPES[errorType];
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { detail: this.message, status_code: this.status, error_type: this.errorType };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

/** The error_type a bare HTTP status stands for (Better Auth's errors, Hono's HTTPExceptions). */
export function errorTypeForStatus(status: number): ErrorType {
  switch (status) {
    case 400:
    case 422:
      return "validation_error";
    case 401:
      return "authentication_error";
    case 403:
      return "authorization_error";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 412:
      return "precondition_failed";
    case 413:
      return "payload_too_large";
    case 429:
      return "rate_limited";
    case 502:
    case 503:
    case 504:
      return "service_unavailable";
    default:
      return status >= 500 ? "internal_error" : "validation_error";
  }
}

const RETRY_AFTER_SECONDS = "5";

/** Turns any thrown value into an AppError, logging what the client must not see. */
export function toAppError(err: unknown, requestId: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    // Hono's own: malformed JSON, body limits, etc. Its message is written for clients.
    const status = err.status as ContentfulStatusCode;
    return new AppError(errorTypeForStatus(status), err.message || "Bad request", { status });
  }
  const database = classifyDatabaseError(err);
  if (database === "unavailable") {
    log("warn", requestId, "database unavailable", err);
    return new AppError("service_unavailable", "The database is unavailable; please retry shortly", {
      headers: { "Retry-After": RETRY_AFTER_SECONDS },
    });
  }
  if (database === "conflict") {
    return new AppError("conflict", "The request conflicts with existing data");
  }
  if (err instanceof ConfigError) {
    log("error", requestId, err.message);
    return new AppError("internal_error", "The server is misconfigured; see the Worker logs");
  }
  log("error", requestId, "unhandled error", err);
  return new AppError("internal_error", "Internal server error");
}

/** Any app whose context carries the request id (generic, so Node tooling can import this module). */
type WithRequestId = { Variables: { requestId: string } };

export function onError<E extends WithRequestId>(err: unknown, c: Context<E>): Response {
  const appError = toAppError(err, c.get("requestId"));
  return c.json(appError.toBody(), appError.status, appError.headers);
}

export function notFound<E extends WithRequestId>(c: Context<E>): Response {
  return c.json(new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`).toBody(), 404);
}

function log(level: "warn" | "error", requestId: string, msg: string, err?: unknown): void {
  console[level](JSON.stringify({ level, requestId, msg, error: err === undefined ? undefined : describeError(err) }));
}

/** What may be logged about an error: for database errors never the query's parameters. */
function describeError(err: unknown): { description: string; stack?: string } {
  const database = describeDatabaseError(err);
  if (database) return { description: database };
  if (err instanceof Error) return { description: `${err.name}: ${err.message}`, stack: err.stack };
  return { description: String(err) };
}
