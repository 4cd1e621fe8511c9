// What the two clients of the Worker (lib/api.ts for the todo API, lib/auth-client.ts for Better
// Auth) do alike, written once: how a request that got no answer is told apart, and the retry
// policy for requests that can safely run twice. Both clients are built on @better-fetch/fetch.
import type { BetterFetchOption } from "@better-fetch/fetch";
import { TRANSIENT_STATUSES } from "#contract";
import { parseRetryAfter } from "./api-error.ts";

export interface RetryPolicy {
  /** First backoff; doubled on each further retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the user gets the error (and a retry button). */
  maxRetryAfterMs: number;
}

/** At most 3 tries: the first and two retries. */
const MAX_RETRIES = 2;
const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 4000, maxRetryAfterMs: 10_000 };
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `send`, except that a request that got no answer (fetch rejects: offline, connection refused or
 * dropped) is answered here, in the API's error shape, as a `network_error` with status_code 0: so
 * every failure reaches the client as an answer and becomes an ApiError the same way. Its HTTP
 * status is 503, so the retry policy covers it. An aborted request stays the caller's.
 */
export function answeringNetworkFailures(send: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await send(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const body = { detail: "The server could not be reached", status_code: 0, error_type: "network_error" };
      return Response.json(body, { status: 503 });
    }
  };
}

/**
 * Options for a better-fetch call that can safely run twice: retried after 502/503/504 (and no
 * answer) with exponential backoff, honouring Retry-After. `sleep` waits the part of a Retry-After
 * that the backoff does not cover (injectable for tests).
 */
export function retryingTransientFailures(
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = wait,
): Pick<BetterFetchOption, "retry" | "onRetry"> {
  const retryAfterMs = (response: Response) => (parseRetryAfter(response.headers.get("Retry-After")) ?? 0) * 1000;
  return {
    retry: {
      type: "exponential",
      attempts: MAX_RETRIES,
      baseDelay: policy.baseDelayMs,
      maxDelay: policy.maxDelayMs,
      shouldRetry: (response) =>
        response !== null &&
        TRANSIENT_STATUSES.includes(response.status) &&
        retryAfterMs(response) <= policy.maxRetryAfterMs,
    },
    async onRetry({ response, request }) {
      // better-fetch waits the backoff; make up the rest of a longer Retry-After.
      const attempt = (request as { retryAttempt?: number }).retryAttempt ?? 0;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const extra = retryAfterMs(response) - backoff;
      if (extra > 0) await sleep(extra);
    },
  };
}
