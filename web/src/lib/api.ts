// The one client of the todo API. Built on @better-fetch/fetch: its `auth` option attaches the
// bearer token, a plugin refreshes the token and replays the request once after a 401, every
// request is retried on 502/503/504 and on network failures (lib/fetch-policy.ts), and every
// failure becomes a typed ApiError.
import { type BetterFetchPlugin, createFetch } from "@better-fetch/fetch";
import { MAX_PAGE_SIZE, type Todo, type TodoPage, type TodoPatch } from "#contract";
import { ApiError, type FetchErrorResult, toApiError } from "./api-error.ts";
import { answeringNetworkFailures, type RetryPolicy, retryingTransientFailures } from "./fetch-policy.ts";
import { SessionGoneError, type TokenManager } from "./token-manager.ts";

export interface ApiClientOptions {
  /** The API's root, e.g. "/api". */
  baseURL: string;
  tokens: Pick<TokenManager, "getToken" | "refresh" | "expire">;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
  /** Waits the part of a Retry-After the backoff does not cover (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Logs every request and response to the console; development builds only (default on there). */
  log?: boolean;
}

const sessionExpired = (detail: string, cause: unknown) =>
  new ApiError({ status: 401, errorType: "authentication_error", detail, sessionExpired: true, cause });
const bearerOf = (headers: Headers) => headers.get("authorization")?.replace(/^Bearer\s+/i, "");
/** If-Match for a todo at `version`; none (an unconditional write) when the version is not known. */
const ifMatch = (version: number | undefined) => (version === undefined ? undefined : { "If-Match": `"${version}"` });

/** 401 → one token refresh (shared with other tabs) and one replay; the replay's answer stands. */
function refreshOnUnauthorized(tokens: ApiClientOptions["tokens"], send: typeof fetch): BetterFetchPlugin {
  return {
    id: "edge-todo:refresh-on-401",
    name: "Refresh the access token once after a 401",
    hooks: {
      async onResponse({ response, request }) {
        if (response.status !== 401) return;
        // Throws SessionGoneError when the session cookie no longer gets a token.
        const token = await tokens.refresh(bearerOf(request.headers));
        const headers = new Headers(request.headers);
        headers.set("authorization", `Bearer ${token}`);
        return send(request.url, { ...(request as RequestInit), headers });
      },
    },
  };
}

function requestLogger(): BetterFetchPlugin {
  const started = new WeakMap<object, number>();
  return {
    id: "edge-todo:log",
    name: "Development request log",
    hooks: {
      onRequest(context) {
        started.set(context, performance.now());
        console.debug(`[api] → ${context.method} ${String(context.url)}`);
      },
      onResponse({ request, response }) {
        const ms = Math.round(performance.now() - (started.get(request) ?? performance.now()));
        console.debug(`[api] ← ${response.status} ${request.method} ${String(request.url)} (${ms} ms)`);
      },
    },
  };
}

export function createApiClient(options: ApiClientOptions) {
  const { tokens } = options;
  const send = answeringNetworkFailures(options.fetch ?? globalThis.fetch.bind(globalThis));

  const $fetch = createFetch({
    baseURL: options.baseURL,
    customFetchImpl: send,
    auth: { type: "Bearer", token: () => tokens.getToken() },
    // Every request of this API can safely run twice: a PATCH sets absolute values, a create
    // carries its Idempotency-Key, and a DELETE or a bulk change repeated changes nothing more.
    ...retryingTransientFailures(options.retry, options.sleep),
    // import.meta.env.DEV is false in production builds, so the logger is not even shipped there.
    plugins: [
      refreshOnUnauthorized(tokens, send),
      ...(import.meta.env.DEV && options.log !== false ? [requestLogger()] : []),
    ],
  });

  async function call<T>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    init: { body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<T> {
    let failedHeaders: Headers | undefined;
    let result: { data: T; error: null } | { data: null; error: FetchErrorResult };
    try {
      result = (await $fetch<T>(path, {
        method,
        body: init.body,
        query: init.query,
        headers: init.headers,
        onError({ response }) {
          failedHeaders = response.headers;
        },
      })) as typeof result;
    } catch (error) {
      // From the token: the session is gone (SessionGoneError), or /api/auth/token failed (ApiError).
      // Anything else is a bug or an abort, and is not dressed up as an API error.
      if (error instanceof SessionGoneError) {
        // Usually the expiry flow has run already (this tab's refresh found out); if another tab
        // found out while this one waited for its token, it runs here, once.
        tokens.expire();
        throw sessionExpired("The session has ended", error);
      }
      throw error;
    }
    if (result.error) {
      const error = toApiError(result.error, failedHeaders);
      if (error.status !== 401) throw error;
      // Refused even with a freshly issued token: nothing but signing in again can help.
      tokens.expire();
      throw sessionExpired(error.detail, error);
    }
    return result.data;
  }

  const todoPath = (id: string) => `/todos/${encodeURIComponent(id)}`;

  return {
    todos: {
      /** Every todo of the signed-in user, in order (following the API's cursor pages). */
      async list(): Promise<Todo[]> {
        const items: Todo[] = [];
        let cursor: string | null = null;
        do {
          const query: Record<string, string> = { limit: String(MAX_PAGE_SIZE), ...(cursor ? { cursor } : {}) };
          const page: TodoPage = await call<TodoPage>("GET", "/todos", { query });
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        return items;
      },
      /** One todo, as the server has it now. */
      get: (id: string) => call<Todo>("GET", todoPath(id)),
      // One key per todo the user adds, the same on every retry: the Worker answers a repeated key
      // with the todo it already created, so a retry after a lost answer cannot make a second one.
      // The caller may pass the key again to re-send an add that failed for good (the banner's Retry).
      create: (title: string, idempotencyKey: string = crypto.randomUUID()) =>
        call<Todo>("POST", "/todos", {
          body: { title },
          headers: { "Idempotency-Key": idempotencyKey },
        }),
      // `version`: the one the caller last saw (If-Match); the server answers 412 if the todo has
      // changed since. The patch sets absolute values, so replaying it is harmless; but a retry after
      // a lost answer of a write that went through gets a 412 too, which the caller has to tell apart
      // (todos/todo-sync.ts: the todo is then exactly one version on, holding this patch).
      update: (id: string, patch: TodoPatch, version?: number) =>
        call<Todo>("PATCH", todoPath(id), { body: patch, headers: ifMatch(version) }),
      remove: (id: string, version?: number) => call<void>("DELETE", todoPath(id), { headers: ifMatch(version) }),
      completeAll: (completed: boolean) =>
        call<{ updated: number }>("POST", "/todos/complete-all", { body: { completed } }),
      clearCompleted: () => call<{ deleted: number }>("DELETE", "/todos", { query: { status: "completed" } }),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
