// ApiError: every failed call to the Worker (the todo API or Better Auth) becomes one of these,
// built from the API's error JSON `{detail, status_code, error_type}`, and `userMessage` words it
// for a person.
import { type ErrorType, errorTypeForStatus, TRANSIENT_STATUSES } from "#contract";

/** The API's error types, plus what the browser sees when nothing answers. */
export type ApiErrorType = ErrorType | "network_error";

export class ApiError extends Error {
  override name = "ApiError";
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  readonly errorType: ApiErrorType;
  /** The server's `detail`, meant for developers and logs; show `userMessage(error)` to people. */
  readonly detail: string;
  /** Better Auth's error code, e.g. INVALID_EMAIL_OR_PASSWORD, PASSWORD_POLICY. */
  readonly code: string | undefined;
  /** From Retry-After, on 429 and 503. */
  readonly retryAfterSeconds: number | undefined;
  /** The password rules a sign-up broke (PASSWORD_POLICY). */
  readonly unmetRules: string[];
  /** The session is gone: the user has to sign in again. */
  readonly sessionExpired: boolean;

  constructor(init: {
    status: number;
    errorType: ApiErrorType;
    detail: string;
    code?: string | undefined;
    retryAfterSeconds?: number | undefined;
    unmetRules?: string[] | undefined;
    sessionExpired?: boolean | undefined;
    cause?: unknown;
  }) {
    super(init.detail, { cause: init.cause });
    this.status = init.status;
    this.errorType = init.errorType;
    this.detail = init.detail;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.unmetRules = init.unmetRules ?? [];
    this.sessionExpired = init.sessionExpired ?? false;
  }

  /** Nothing answered, or a gateway said the service is down: worth a "retry" banner. */
  get unreachable(): boolean {
    return this.status === 0 || TRANSIENT_STATUSES.includes(this.status);
  }
}

/** The error part of a better-fetch result: the parsed JSON body plus status and statusText. */
export interface FetchErrorResult {
  status: number;
  statusText: string;
  [field: string]: unknown;
}

/** Builds an ApiError from a better-fetch error result and, when known, the response's headers. */
export function toApiError(error: FetchErrorResult, headers?: Headers): ApiError {
  const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  const status = typeof error.status_code === "number" ? error.status_code : error.status;
  return new ApiError({
    status,
    errorType: (str(error.error_type) as ApiErrorType | undefined) ?? errorTypeForStatus(status),
    detail: str(error.detail) ?? str(error.message) ?? (error.statusText || `HTTP ${status}`),
    code: str(error.code),
    retryAfterSeconds: parseRetryAfter(headers?.get("Retry-After") ?? null),
    unmetRules: Array.isArray(error.unmetRules) ? error.unmetRules.filter((rule) => typeof rule === "string") : [],
  });
}

/** Retry-After in seconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** What to tell a person about `error`: never a stack trace, a status code or a raw server string
 * that was not written for them. */
export function userMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.sessionExpired) return "Your session has expired, please sign in again.";
  switch (error.errorType) {
    case "network_error":
      return "Can't reach the server. Check your connection and try again.";
    case "service_unavailable":
      return "The service is temporarily unavailable. Please try again in a moment.";
    case "rate_limited": {
      const wait = error.retryAfterSeconds;
      return wait
        ? `Too many attempts. Please wait ${wait} seconds and try again.`
        : "Too many attempts. Please wait a moment and try again.";
    }
    case "authorization_error":
      return "Access denied: you don't have permission to do that.";
    case "authentication_error":
      return error.code === "INVALID_EMAIL_OR_PASSWORD" ? "Invalid email or password." : "Please sign in again.";
    case "conflict":
      // The Worker's own conflicts are worded for people ("You can have at most 1000 todos; …").
      return error.code?.startsWith("USER_ALREADY_EXISTS")
        ? "An account with this email already exists. Sign in instead, or use another email."
        : error.detail;
    case "precondition_failed":
      // Only a todo's PATCH or DELETE answers 412 (If-Match), and the app shows the latest version
      // whenever it gets one (todos/todo-sync.ts).
      return "This todo was changed in another tab or device; here is the latest version — your change was not saved.";
    case "not_found":
      return "That item no longer exists. It may have been deleted in another tab.";
    case "validation_error":
      // The Worker writes these for people ("Password must contain a number.", "title: must not be empty").
      return error.code === "PASSWORD_POLICY" ||
        error.code === "INVALID_NAME" ||
        error.code?.startsWith("INVALID_EMAIL")
        ? error.detail
        : `That wasn't accepted: ${error.detail}`;
    default:
      return "Something went wrong on our side. Please try again.";
  }
}
