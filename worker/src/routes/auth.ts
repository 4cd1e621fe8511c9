// /api/auth/*: Better Auth's own endpoints, behind the Worker's rate limiter, with every error
// response given the API's error fields (detail, status_code, error_type) beside Better Auth's
// own `code` and `message`, so a client parses one shape everywhere, and without the session token
// in response bodies: it lives in the httpOnly cookie, out of reach of page scripts.
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorBody, errorTypeForStatus } from "#contract";
import type { AppEnv } from "../env.ts";
import { AppError, notFound, serviceUnavailable } from "../errors.ts";
import { log } from "../log.ts";
import { rateLimitAuth } from "../middleware/rate-limit.ts";

/** Better Auth's error codes whose HTTP status says less than it should. */
const STATUS_BY_CODE: Record<string, number> = {
  // Better Auth answers 422 for an e-mail that is taken; it is a conflict with existing data.
  USER_ALREADY_EXISTS: 409,
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 409,
};

export const RATE_LIMITED_AUTH_PATHS = ["/sign-in/email", "/sign-up/email", "/change-password"];

export const authRoutes = new Hono<AppEnv>()
  .on("POST", RATE_LIMITED_AUTH_PATHS, rateLimitAuth)
  .on(["GET", "POST"], "/*", async (c) => {
    // Loaded on the first auth request, not at startup: the todo API never needs Better Auth, and its
    // module graph (hundreds of zod schemas built at load) is most of the Worker's startup time.
    const { authFor } = await import("../auth/better-auth.ts");
    const auth = authFor(c.var.config, c.var.db);
    // Better Auth answers 404 for its disabled paths only when they match literally; "/callback/:id"
    // would still answer at /callback/google. Every disabled endpoint gets the API's 404 here.
    const path = c.req.path.slice(auth.options.basePath.length);
    if (auth.options.disabledPaths?.some((pattern) => matchesEndpointPath(pattern, path))) return notFound(c);
    let response = await auth.handler(c.req.raw);
    if (response.status >= 500) throw await betterAuthFailure(response, c.var.requestId);
    if (response.status >= 400) response = await withErrorFields(response);
    else if (stripsSessionToken(c.req.path)) response = await withoutSessionToken(response);
    response = new Response(response.body, response);
    response.headers.set("Cache-Control", cacheControl(path));
    // Through the context, so that the headers middleware set before calling next() (X-Request-Id,
    // Vary) are kept: a Response returned as it is would drop them.
    return c.newResponse(response.body, response);
  })
  // Better Auth serves GET and POST only; any other method is a JSON 404 here, not a 401 from the
  // token check further down.
  .all("/*", (c) => notFound(c));

/**
 * Every answer here carries or concerns a credential (the session cookie, an access token, the
 * user's data), so no cache may keep it; except the public keys, which any verifier may cache
 * briefly (they are published before they sign anything: keys:rotate). Shared caches keep the key
 * set apart per Origin (Vary: Origin), since its CORS headers depend on it.
 */
function cacheControl(path: string): string {
  return path === "/jwks" ? "public, max-age=60" : "no-store";
}

/** Whether a request path matches an endpoint's path, whose `:name` segments match any one segment. */
function matchesEndpointPath(endpoint: string, path: string): boolean {
  const want = endpoint.split("/");
  const got = path.split("/");
  return (
    want.length === got.length && want.every((part, i) => (part.startsWith(":") ? got[i] !== "" : part === got[i]))
  );
}

/**
 * Whether Better Auth's successful answer at `path` loses its copy of the session token (Better Auth
 * returns it for clients that keep it themselves; this app's live in the httpOnly cookie). Every
 * path does except /token, whose `token` is the access JWT.
 */
export function stripsSessionToken(path: string): boolean {
  return path !== "/api/auth/token";
}

async function withoutSessionToken(response: Response): Promise<Response> {
  if (!response.headers.get("Content-Type")?.includes("application/json")) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (!body || typeof body !== "object") return response;
  const record = body as { token?: unknown; session?: { token?: unknown } | null };
  if (!("token" in record) && !(record.session && typeof record.session === "object" && "token" in record.session)) {
    return response;
  }
  delete record.token;
  if (record.session && typeof record.session === "object") delete record.session.token;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(record), { status: response.status, headers });
}

/** Better Auth's own 5xx, to be answered without its internals (onError logs anything but a 503). */
async function betterAuthFailure(response: Response, requestId: string): Promise<Error> {
  const body = (await response.text().catch(() => "")).slice(0, 500);
  const error = new Error(`Better Auth answered ${response.status}: ${body}`);
  if (response.status !== 503) return error;
  log("warn", "Better Auth answered 503", { requestId, error: error.message });
  return serviceUnavailable("The service is unavailable; please retry shortly", error);
}

async function withErrorFields(response: Response): Promise<Response> {
  let body: Record<string, unknown> = {};
  if (response.headers.get("Content-Type")?.includes("application/json")) {
    const parsed: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  }
  const answer = betterAuthError(response.status, body, response.statusText);
  const headers = new Headers(response.headers);
  // The body is new JSON; Better Auth's bodiless answers (its 404) say text/plain.
  headers.delete("Content-Length");
  headers.delete("Content-Type");
  return Response.json(answer.body, { status: answer.status, headers });
}

/**
 * The answer for Better Auth's error `body` at `status`: its own fields (`code`, `message`, …) and
 * the API's error fields, at the status its `code` calls for. The OpenAPI document's examples of
 * these answers are made with it too.
 */
export function betterAuthError(
  status: number,
  body: Record<string, unknown>,
  statusText = "",
): { status: number; body: ErrorBody & Record<string, unknown> } {
  const code = typeof body.code === "string" ? body.code : undefined;
  const answered = (code && STATUS_BY_CODE[code]) || status;
  const detail = typeof body.message === "string" && body.message ? body.message : statusText || `HTTP ${answered}`;
  const error = new AppError(errorTypeForStatus(answered), detail, { status: answered as ContentfulStatusCode });
  return { status: answered, body: { ...body, ...error.toBody() } };
}
