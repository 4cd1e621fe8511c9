// Test helpers that drive the real Worker (workerd, Better Auth, the Neon driver, the local SQL
// endpoint) through its fetch handler, as a browser or API client would. Every answer they get is
// checked against the Worker's OpenAPI document (documented-answers.ts): one that differs fails the
// test that received it.
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { inject } from "vitest";
import worker from "../src/index.ts";
import { DocumentedAnswers, type OpenApiDocument } from "./documented-answers.ts";

export const BASE = "http://localhost:8787";

let ipCounter = 0;
/** A fresh client address, so one test's sign-ins never count against another's rate limit. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(Math.random() * 250)}.${(ipCounter % 250) + 1}`;
}

let documentedAnswers: Promise<DocumentedAnswers> | undefined;

/** The Worker's OpenAPI document, as it serves it. */
export function openApiDocument(): Promise<DocumentedAnswers> {
  documentedAnswers ??= exports.default.fetch(new Request(`${BASE}/api/openapi.json`)).then(async (res) => {
    if (!res.ok) throw new Error(`GET /api/openapi.json: ${res.status} (npm run build:web makes the document)`);
    return new DocumentedAnswers((await res.json()) as OpenApiDocument);
  });
  return documentedAnswers;
}

/**
 * The answer to `request` from `send`, after checking it against the OpenAPI document. The document
 * is read before the request is sent: read at the same time as the request for it, it never came.
 */
async function documented(request: Request, send: (request: Request) => Response | Promise<Response>) {
  const document = await openApiDocument();
  const response = await send(request);
  const problems = await document.problems(request, response);
  if (problems.length) {
    const { pathname } = new URL(request.url);
    throw new Error(
      `${request.method} ${pathname} answered ${response.status}, which /api/openapi.json does not describe: ${problems.join("; ")}`,
    );
  }
  return response;
}

/** A request to the Worker at `path` (redirects are answers, not followed). */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return documented(new Request(new URL(path, BASE), { redirect: "manual", ...init }), (request) =>
    exports.default.fetch(request),
  );
}

/** `request` to the Worker running with `bindings` (a deployment's settings), in `ctx`. */
export function callWith(
  bindings: Env,
  request: Request,
  ctx: ExecutionContext = createExecutionContext(),
): Promise<Response> {
  return documented(request, (req) => worker.fetch(req, bindings, ctx));
}

export function json(body: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
}

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  ip: string;
  /** The `Cookie` header value carrying the session. */
  cookie: string;
}

export const STRONG_PASSWORD = "Correct-Horse-9";

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID()}@example.com`;
}

/** Signs up through POST /api/auth/sign-up/email and returns the new user with its session cookie. */
export async function signUp(
  overrides: Partial<Pick<TestUser, "name" | "email" | "password">> = {},
): Promise<TestUser> {
  const ip = freshIp();
  const user = { name: "Ada Lovelace", email: uniqueEmail(), password: STRONG_PASSWORD, ...overrides };
  const res = await call("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": ip },
    body: JSON.stringify(user),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  return { ...user, id: body.user.id, ip, cookie: sessionCookie(res) };
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!cookie) throw new Error("no session cookie in response");
  return cookie.split(";")[0] ?? "";
}

/** GET /api/auth/token with the user's session cookie: a fresh access JWT. */
export async function accessToken(user: Pick<TestUser, "cookie">): Promise<string> {
  const res = await call("/api/auth/token", { headers: { Cookie: user.cookie } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A signed-up user with an access token, ready to call the todo API. */
export async function signedInUser(): Promise<TestUser & { token: string }> {
  const user = await signUp();
  return { ...user, token: await accessToken(user) };
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

/** Calls the todo API as `token`, with an optional JSON body. */
export function apiCall(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return call(path, {
    method,
    headers: bearer(token, body === undefined ? {} : { "Content-Type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Asserts-by-returning the standard error body, for expect(...).toMatchObject. */
export async function errorBody(res: Response): Promise<{ detail: string; status_code: number; error_type: string }> {
  return (await res.json()) as { detail: string; status_code: number; error_type: string };
}

/** Controls the local SQL endpoint (fault injection, round-trip counter). */
export const sqlEndpoint = {
  url: () => inject("sqlEndpointUrl"),
  async control(settings: { fault?: string | null; delayMs?: number; match?: string | null }): Promise<void> {
    const res = await fetch(`${inject("sqlEndpointUrl")}/__control`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(settings),
    });
    if (!res.ok) throw new Error(`control failed: ${res.status}`);
  },
  async stats(): Promise<{ roundTrips: number }> {
    return (await (await fetch(`${inject("sqlEndpointUrl")}/__stats`)).json()) as { roundTrips: number };
  },
};

export { env };
