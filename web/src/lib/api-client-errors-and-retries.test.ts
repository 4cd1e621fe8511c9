// The API client against a scripted HTTP server (real fetch, real sockets): the bearer token, one
// refresh and replay after a 401, 403, backoff on 503 and on network failures honouring Retry-After,
// creates retried under one Idempotency-Key, and the API's error JSON becoming a typed ApiError.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tokenIssuer } from "../../test/test-support.ts";
import { ApiError, userMessage } from "./api-error.ts";
import { createApiClient, type RetryPolicy } from "./api.ts";
import { createTokenManager, SessionGoneError } from "./token-manager.ts";

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  token: string | undefined;
  idempotencyKey: string | undefined;
  at: number;
}

let server: Server;
let baseURL: string;
let script: Reply[] = [];
let seen: Seen[] = [];

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
const apiError = (status: number, error_type: string, detail: string, headers: Record<string, string> = {}) =>
  json(status, { detail, status_code: status, error_type }, headers);
const dropConnection: Reply = (req) => req.socket.destroy();

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method!,
      url: req.url!,
      token: req.headers.authorization?.replace("Bearer ", ""),
      idempotencyKey: req.headers["idempotency-key"] as string | undefined,
      at: Date.now(),
    });
    const reply = script.shift() ?? apiError(500, "internal_error", "the test scripted no reply");
    req.resume();
    req.on("end", () => reply(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  script = [];
  seen = [];
});

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 };

function client(options: { fetchToken?: () => Promise<string>; sleep?: (ms: number) => Promise<void> } = {}) {
  const issuer = tokenIssuer({ ttlSeconds: 900 });
  let sessionGone = 0;
  const tokens = createTokenManager({
    fetchToken: options.fetchToken ?? issuer.fetchToken,
    onSessionGone: () => sessionGone++,
    onSignedOutElsewhere: () => {},
  });
  const api = createApiClient({ baseURL, tokens, retry: FAST_RETRY, sleep: options.sleep, log: false });
  return { api, tokens, issuer, sessionGone: () => sessionGone };
}

const todo = (title: string) => ({
  id: crypto.randomUUID(),
  title,
  completed: false,
  position: 1,
  dueAt: null,
  createdAt: "2026-11-21T00:00:00.000Z",
  updatedAt: "2026-11-21T00:00:00.000Z",
});

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
    script = [json(200, { items: [todo("Milk")], nextCursor: null })];

    const items = await api.todos.list();

    expect(items.map((t) => t.title)).toEqual(["Milk"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.token).toBe(tokens.current()!.token);
    expect(seen[0]!.url).toBe("/api/todos?limit=100");
  });

  it("on a 401 refreshes the token once and replays the request with the new one", async () => {
    const { api, issuer } = client();
    script = [apiError(401, "authentication_error", "Token expired"), json(200, { items: [], nextCursor: null })];

    await api.todos.list();

    expect(seen).toHaveLength(2);
    expect(issuer.calls()).toBe(2);
    expect(seen[1]!.token).not.toBe(seen[0]!.token);
  });

  it("refused twice: runs the expired-session flow instead of looping", async () => {
    const { api, sessionGone } = client();
    script = [apiError(401, "authentication_error", "no"), apiError(401, "authentication_error", "still no")];

    const error = await failure(api.todos.list());

    expect(seen).toHaveLength(2);
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
    script = [apiError(401, "authentication_error", "Token expired")];

    const error = await failure(api.todos.create("Milk"));

    expect(seen).toHaveLength(1);
    expect(error.sessionExpired).toBe(true);
    expect(sessionGone()).toBe(1);
  });

  it("a 403 becomes an access-denied error, not a refresh or a retry", async () => {
    const { api, issuer } = client();
    script = [apiError(403, "authorization_error", "You can only access your own todos")];

    const error = await failure(api.todos.list());

    expect(seen).toHaveLength(1);
    expect(issuer.calls()).toBe(1);
    expect(error.status).toBe(403);
    expect(error.errorType).toBe("authorization_error");
    expect(userMessage(error)).toMatch(/^Access denied/);
  });
});

describe("retries", () => {
  it("retries an idempotent request on 503 with growing delays, at most 3 tries, then reports the server unreachable", async () => {
    const { api } = client();
    script = [0, 1, 2, 3].map(() => apiError(503, "service_unavailable", "The database is unavailable"));

    const error = await failure(api.todos.update(crypto.randomUUID(), { completed: true }));

    expect(seen).toHaveLength(3);
    expect(error.status).toBe(503);
    expect(error.unreachable).toBe(true);
    const gaps = [seen[1]!.at - seen[0]!.at, seen[2]!.at - seen[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(FAST_RETRY.baseDelayMs);
    expect(gaps[1]).toBeGreaterThanOrEqual(FAST_RETRY.baseDelayMs * 2);
  });

  it("succeeds when a retry gets through", async () => {
    const { api } = client();
    const done = todo("Milk");
    script = [apiError(502, "service_unavailable", "bad gateway"), json(200, done)];

    expect(await api.todos.update(done.id, { title: "Milk" })).toEqual(done);
    expect(seen.map((s) => s.method)).toEqual(["PATCH", "PATCH"]);
  });

  it("waits as long as Retry-After asks (the part the backoff does not cover)", async () => {
    const waits: number[] = [];
    const { api } = client({ sleep: async (ms) => void waits.push(ms) });
    script = [apiError(503, "service_unavailable", "busy", { "Retry-After": "2" }), json(200, { deleted: 1 })];

    await api.todos.clearCompleted();

    expect(seen).toHaveLength(2);
    expect(waits).toEqual([2000 - FAST_RETRY.baseDelayMs]);
  });

  it("does not wait for a Retry-After longer than it is willing to: the error says how long instead", async () => {
    const { api } = client();
    script = [apiError(503, "service_unavailable", "maintenance", { "Retry-After": "3600" })];

    const error = await failure(api.todos.list());

    expect(seen).toHaveLength(1);
    expect(error.retryAfterSeconds).toBe(3600);
  });

  it("retries a create with the same Idempotency-Key, so the retry cannot add the todo twice", async () => {
    const { api } = client();
    const created = todo("Milk");
    script = [apiError(503, "service_unavailable", "busy"), dropConnection, json(201, created)];

    expect(await api.todos.create("Milk")).toEqual(created);

    expect(seen.map((s) => s.method)).toEqual(["POST", "POST", "POST"]);
    const keys = new Set(seen.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    // The next todo gets a key of its own.
    script = [json(201, todo("Eggs"))];
    await api.todos.create("Eggs");
    expect(seen[3]!.idempotencyKey).not.toBe(seen[0]!.idempotencyKey);
  });

  it("retries when the connection fails, then reports a network error", async () => {
    const { api } = client();
    script = [dropConnection, dropConnection, dropConnection];

    const error = await failure(api.todos.remove(crypto.randomUUID()));

    expect(seen).toHaveLength(3);
    expect(error.status).toBe(0);
    expect(error.errorType).toBe("network_error");
    expect(error.unreachable).toBe(true);
    expect(userMessage(error)).toMatch(/^Can't reach the server/);
  });
});

describe("errors and pages", () => {
  it("turns the API's error JSON into a typed ApiError", async () => {
    const { api } = client();
    script = [apiError(422, "validation_error", "title: must not be empty")];

    const error = await failure(api.todos.create(" "));

    expect(error).toMatchObject({ status: 422, errorType: "validation_error", detail: "title: must not be empty" });
    expect(userMessage(error)).toBe("That wasn't accepted: title: must not be empty");
  });

  it("follows nextCursor until the last page", async () => {
    const { api } = client();
    script = [json(200, { items: [todo("a"), todo("b")], nextCursor: "c1" }), json(200, { items: [todo("c")], nextCursor: null })];

    const items = await api.todos.list();

    expect(items.map((t) => t.title)).toEqual(["a", "b", "c"]);
    expect(seen.map((s) => s.url)).toEqual(["/api/todos?limit=100", "/api/todos?limit=100&cursor=c1"]);
  });
});
