// The API client against a scripted HTTP server (real fetch, real sockets): the bearer token, one
// refresh and replay after a 401, 403, backoff on 503 and on network failures honouring Retry-After,
// creates retried under one Idempotency-Key, writes conditional on a version (If-Match) and their
// 412 neither retried nor refreshed, and the API's error JSON becoming a typed ApiError.
import { describe, expect, it } from "vitest";
import {
  apiError,
  dropConnection,
  FAST_RETRY,
  json,
  noContent,
  todo,
  useScriptedApi,
} from "../../test/scripted-api.ts";
import { tokenIssuer } from "../../test/test-support.ts";
import { ApiError, userMessage } from "./api-error.ts";
import { SessionGoneError } from "./token-manager.ts";

const http = useScriptedApi();
const client = http.client;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("authentication", () => {
  it("sends the access token as a bearer token and returns the data", async () => {
    const { api, tokens } = client();
    http.script = [json(200, { items: [todo("Milk")], nextCursor: null })];

    const items = await api.todos.list();

    expect(items.map((t) => t.title)).toEqual(["Milk"]);
    expect(http.seen).toHaveLength(1);
    expect(http.seen[0]!.token).toBe(tokens.current()!.token);
    expect(http.seen[0]!.url).toBe("/api/todos?limit=100");
  });

  it("on a 401 refreshes the token once and replays the request with the new one", async () => {
    const { api, issuer } = client();
    http.script = [apiError(401, "authentication_error", "Token expired"), json(200, { items: [], nextCursor: null })];

    await api.todos.list();

    expect(http.seen).toHaveLength(2);
    expect(issuer.calls()).toBe(2);
    expect(http.seen[1]!.token).not.toBe(http.seen[0]!.token);
  });

  it("refused twice: runs the expired-session flow instead of looping", async () => {
    const { api, sessionGone } = client();
    http.script = [apiError(401, "authentication_error", "no"), apiError(401, "authentication_error", "still no")];

    const error = await failure(api.todos.list());

    expect(http.seen).toHaveLength(2);
    expect(error.sessionExpired).toBe(true);
    expect(sessionGone()).toBe(1);
    expect(userMessage(error)).toBe("Your session has expired, please sign in again.");
  });

  it("a 401 when the session is gone: the expired-session flow, no replay", async () => {
    let calls = 0;
    const issuer = tokenIssuer({ ttlSeconds: 900 });
    const { api, sessionGone } = client({
      fetchToken: () => (++calls === 1 ? issuer.fetchToken() : Promise.reject(new SessionGoneError())),
    });
    http.script = [apiError(401, "authentication_error", "Token expired")];

    const error = await failure(api.todos.create("Milk"));

    expect(http.seen).toHaveLength(1);
    expect(error.sessionExpired).toBe(true);
    expect(sessionGone()).toBe(1);
  });

  it("a 403 becomes an access-denied error, not a refresh or a retry", async () => {
    const { api, issuer } = client();
    http.script = [apiError(403, "authorization_error", "You can only access your own todos")];

    const error = await failure(api.todos.list());

    expect(http.seen).toHaveLength(1);
    expect(issuer.calls()).toBe(1);
    expect(error.status).toBe(403);
    expect(error.errorType).toBe("authorization_error");
    expect(userMessage(error)).toMatch(/^Access denied/);
  });
});

describe("retries", () => {
  it("retries an idempotent request on 503 with growing delays, at most 3 tries, then reports the server unreachable", async () => {
    const { api } = client();
    http.script = [0, 1, 2, 3].map(() => apiError(503, "service_unavailable", "The database is unavailable"));

    const error = await failure(api.todos.update(crypto.randomUUID(), { completed: true }));

    expect(http.seen).toHaveLength(3);
    expect(error.status).toBe(503);
    expect(error.unreachable).toBe(true);
    const gaps = [http.seen[1]!.at - http.seen[0]!.at, http.seen[2]!.at - http.seen[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(FAST_RETRY.baseDelayMs);
    expect(gaps[1]).toBeGreaterThanOrEqual(FAST_RETRY.baseDelayMs * 2);
  });

  it("succeeds when a retry gets through", async () => {
    const { api } = client();
    const done = todo("Milk");
    http.script = [apiError(502, "service_unavailable", "bad gateway"), json(200, done)];

    expect(await api.todos.update(done.id, { title: "Milk" })).toEqual(done);
    expect(http.seen.map((s) => s.method)).toEqual(["PATCH", "PATCH"]);
  });

  it("waits as long as Retry-After asks (the part the backoff does not cover)", async () => {
    const waits: number[] = [];
    const { api } = client({ sleep: async (ms) => void waits.push(ms) });
    http.script = [apiError(503, "service_unavailable", "busy", { "Retry-After": "2" }), json(200, { deleted: 1 })];

    await api.todos.clearCompleted();

    expect(http.seen).toHaveLength(2);
    expect(waits).toEqual([2000 - FAST_RETRY.baseDelayMs]);
  });

  it("does not wait for a Retry-After longer than it is willing to: the error says how long instead", async () => {
    const { api } = client();
    http.script = [apiError(503, "service_unavailable", "maintenance", { "Retry-After": "3600" })];

    const error = await failure(api.todos.list());

    expect(http.seen).toHaveLength(1);
    expect(error.retryAfterSeconds).toBe(3600);
  });

  it("retries a create with the same Idempotency-Key, so the retry cannot add the todo twice", async () => {
    const { api } = client();
    const created = todo("Milk");
    http.script = [apiError(503, "service_unavailable", "busy"), dropConnection, json(201, created)];

    expect(await api.todos.create("Milk")).toEqual(created);

    expect(http.seen.map((s) => s.method)).toEqual(["POST", "POST", "POST"]);
    const keys = new Set(http.seen.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    // The next todo gets a key of its own.
    http.script = [json(201, todo("Eggs"))];
    await api.todos.create("Eggs");
    expect(http.seen[3]!.idempotencyKey).not.toBe(http.seen[0]!.idempotencyKey);
  });

  it("retries when the connection fails, then reports a network error", async () => {
    const { api } = client();
    http.script = [dropConnection, dropConnection, dropConnection];

    const error = await failure(api.todos.remove(crypto.randomUUID()));

    expect(http.seen).toHaveLength(3);
    expect(error.status).toBe(0);
    expect(error.errorType).toBe("network_error");
    expect(error.unreachable).toBe(true);
    expect(userMessage(error)).toMatch(/^Can't reach the server/);
  });
});

describe("writes conditional on the version last seen", () => {
  it("PATCH and DELETE send If-Match with the version they are given, and none without one", async () => {
    const { api } = client();
    const milk = todo("Milk");
    http.script = [json(200, { ...milk, version: 4 }), noContent, json(200, milk), noContent];

    expect((await api.todos.update(milk.id, { completed: true }, 3)).version).toBe(4);
    await api.todos.remove(milk.id, 4);
    await api.todos.update(milk.id, { completed: false });
    await api.todos.remove(milk.id);

    expect(http.seen.map((s) => [s.method, s.url, s.ifMatch])).toEqual([
      ["PATCH", `/api/todos/${milk.id}`, '"3"'],
      ["DELETE", `/api/todos/${milk.id}`, '"4"'],
      ["PATCH", `/api/todos/${milk.id}`, undefined],
      ["DELETE", `/api/todos/${milk.id}`, undefined],
    ]);
  });

  it("a 412 is not retried or refreshed: it is a precondition_failed ApiError, worded for a person", async () => {
    const { api, issuer } = client();
    const detail = "The todo changed since you read it; reload it and try again";
    http.script = [apiError(412, "precondition_failed", detail), apiError(412, "precondition_failed", detail)];

    const patchError = await failure(api.todos.update(crypto.randomUUID(), { title: "Mine" }, 1));
    const deleteError = await failure(api.todos.remove(crypto.randomUUID(), 1));

    expect(http.seen.map((s) => s.method)).toEqual(["PATCH", "DELETE"]);
    expect(issuer.calls()).toBe(1);
    for (const error of [patchError, deleteError]) {
      expect(error).toMatchObject({ status: 412, errorType: "precondition_failed", detail, unreachable: false });
      expect(userMessage(error)).toBe(
        "This todo was changed in another tab or device; here is the latest version — your change was not saved.",
      );
    }
  });

  it("reads one todo (the latest version, after a 412)", async () => {
    const { api } = client();
    const milk = { ...todo("Milk from the other tab"), version: 7 };
    http.script = [json(200, milk, { ETag: '"7"' })];

    expect(await api.todos.get(milk.id)).toEqual(milk);
    expect(http.seen.map((s) => [s.method, s.url])).toEqual([["GET", `/api/todos/${milk.id}`]]);
  });

  it("re-sends an add under the Idempotency-Key it is given (the banner's Retry of a failed add)", async () => {
    const { api } = client();
    const key = crypto.randomUUID();
    http.script = [json(201, todo("Milk"))];

    await api.todos.create("Milk", key);

    expect(http.seen[0]!.idempotencyKey).toBe(key);
  });
});

describe("errors and pages", () => {
  it("turns the API's error JSON into a typed ApiError", async () => {
    const { api } = client();
    http.script = [apiError(422, "validation_error", "title: must not be empty")];

    const error = await failure(api.todos.create(" "));

    expect(error).toMatchObject({ status: 422, errorType: "validation_error", detail: "title: must not be empty" });
    expect(userMessage(error)).toBe("That wasn't accepted: title: must not be empty");
  });

  it("follows nextCursor until the last page", async () => {
    const { api } = client();
    http.script = [
      json(200, { items: [todo("a"), todo("b")], nextCursor: "c1" }),
      json(200, { items: [todo("c")], nextCursor: null }),
    ];

    const items = await api.todos.list();

    expect(items.map((t) => t.title)).toEqual(["a", "b", "c"]);
    expect(http.seen.map((s) => s.url)).toEqual(["/api/todos?limit=100", "/api/todos?limit=100&cursor=c1"]);
  });
});
