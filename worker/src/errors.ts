// The one error type and the one error JSON shape: `{detail, status_code, error_type}` on every
// failing response, whether it comes from a route, Better Auth, the database or an unknown bug.

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERROR_TYPES, type ErrorBody, type ErrorType, errorTypeForStatus, RETRY_AFTER_SECONDS } from "#contract";
import { isUndecryptableSigningKey, UNDECRYPTABLE_SIGNING_KEY } from "./auth/signing-key-check.ts";
import { ConfigError } from "./config.ts";
import { classifyDatabaseError, describeDatabaseError } from "./db/errors.ts";
import { log } from "./log.ts";

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

/** 503 with Retry-After: a dependency (the database, the rate limiter) cannot answer right now. */
export function serviceUnavailable(detail: string, cause?: unknown): AppError {
  return new AppError("service_unavailable", detail, {
    headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
    cause,
  });
}

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
    logError("warn", requestId, "database unavailable", err);
    return serviceUnavailable("The database is unavailable; please retry shortly");
  }
  // A constraint violation or a data exception answers for the request, never as a 500. Races make
  // constraint violations (two sign-ups with one e-mail); a data exception means a value got past
  // the API's validation, so it is logged as the check to add.
  if (database === "conflict") {
    return new AppError("conflict", "The request conflicts with existing data");
  }
  if (database === "invalid") {
    logError("warn", requestId, "a value the database cannot take", err);
    return new AppError(
      "validation_error",
      "The request holds a value that cannot be stored (out of range or invalid)",
    );
  }
  if (err instanceof ConfigError || isUndecryptableSigningKey(err)) {
    // The operator's mistake: the log says which and how to fix it; the client only that it is ours.
    logError("error", requestId, err instanceof ConfigError ? err.message : UNDECRYPTABLE_SIGNING_KEY);
    return new AppError("internal_error", "The server is misconfigured; see the Worker logs");
  }
  logError("error", requestId, "unhandled error", err);
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

function logError(level: "warn" | "error", requestId: string, msg: string, err?: unknown): void {
  log(level, msg, { requestId, ...(err === undefined ? {} : { error: describeError(err) }) });
}

/** What may be logged about an error: for database errors never the query's parameters. */
function describeError(err: unknown): { description: string; stack?: string } {
  const database = describeDatabaseError(err);
  if (database) return { description: database };
  if (err instanceof Error) return { description: `${err.name}: ${err.message}`, stack: err.stack };
  return { description: String(err) };
}
