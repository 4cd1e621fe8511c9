// A scripted HTTP server standing in for the Worker in the web unit tests (the client under test uses
// real fetch over real sockets): each request gets the next scripted reply and is recorded. Also the
// API client the tests point at it, with fast retries and a token issuer of their own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Todo } from "#contract";
import { createApiClient } from "../src/lib/api.ts";
import type { RetryPolicy } from "../src/lib/fetch-policy.ts";
import { createTokenManager } from "../src/lib/token-manager.ts";
import { tokenIssuer } from "./test-support.ts";

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

export interface Seen {
  method: string;
  url: string;
  token: string | undefined;
  idempotencyKey: string | undefined;
  ifMatch: string | undefined;
  body: unknown;
  at: number;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
export const apiError = (status: number, error_type: string, detail: string, headers: Record<string, string> = {}) =>
  json(status, { detail, status_code: status, error_type }, headers);
export const dropConnection: Reply = (req) => req.socket.destroy();
export const noContent: Reply = (_req, res) => res.writeHead(204).end();

export const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 };

export const todo = (title: string, fields: Partial<Todo> = {}): Todo => ({
  id: crypto.randomUUID(),
  title,
  completed: false,
  position: 1,
  dueAt: null,
  createdAt: "2026-11-21T00:00:00.000Z",
  updatedAt: "2026-11-21T00:00:00.000Z",
  version: 1,
  ...fields,
});

/** Starts the server for the calling test file; `script` and `seen` start empty for each test. */
export function useScriptedApi() {
  let server: Server;
  const http = {
    baseURL: "",
    script: [] as Reply[],
    seen: [] as Seen[],
    /** An API client of this server. */
    client(options: { fetchToken?: () => Promise<string>; sleep?: (ms: number) => Promise<void> } = {}) {
      const issuer = tokenIssuer({ ttlSeconds: 900 });
      let sessionGone = 0;
      const tokens = createTokenManager({
        fetchToken: options.fetchToken ?? issuer.fetchToken,
        onSessionGone: () => sessionGone++,
        onSignedOutElsewhere: () => {},
      });
      const api = createApiClient({
        baseURL: http.baseURL,
        tokens,
        retry: FAST_RETRY,
        sleep: options.sleep,
        log: false,
      });
      return { api, tokens, issuer, sessionGone: () => sessionGone };
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        http.seen.push({
          method: req.method!,
          url: req.url!,
          token: req.headers.authorization?.replace("Bearer ", ""),
          idempotencyKey: req.headers["idempotency-key"] as string | undefined,
          ifMatch: req.headers["if-match"],
          body: text ? JSON.parse(text) : undefined,
          at: Date.now(),
        });
        const reply = http.script.shift() ?? apiError(500, "internal_error", "the test scripted no reply");
        reply(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    http.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    http.script = [];
    http.seen = [];
  });

  return http;
}
