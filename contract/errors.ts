// The API's one error shape and its error types: every failing answer, from a route, Better Auth,
// the database or an unknown bug, is `{detail, status_code, error_type}`.

/** Each error type and the HTTP status it usually comes with. */
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
  /** What went wrong, written for people; never internals. */
  detail: string;
  /** The HTTP status, repeated. */
  status_code: number;
  error_type: ErrorType;
}

/**
 * Statuses that say "the service is briefly unavailable": a request that can safely run twice is
 * worth retrying after them (honouring Retry-After).
 */
export const TRANSIENT_STATUSES: readonly number[] = [502, 503, 504];

/** How long the Worker asks clients to wait (Retry-After) when the database or a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** The error type a bare HTTP status stands for (an answer without the error fields). */
export function errorTypeForStatus(status: number): ErrorType {
  if (status === 400) return "validation_error";
  const known = Object.entries(ERROR_TYPES).find(([, code]) => code === status);
  if (known) return known[0] as ErrorType;
  if (TRANSIENT_STATUSES.includes(status)) return "service_unavailable";
  return status >= 500 ? "internal_error" : "validation_error";
}
