// /api/auth/*: Better Auth's own endpoints, behind the Worker's rate limiter, with every error
// response given the API's error fields (detail, status_code, error_type) beside Better Auth's
// own `code` and `message`, so a client parses one shape everywhere, and without the session token
// in response bodies: it lives in the httpOnly cookie, out of reach of page scripts.
import { Hono } from "hono";
import { errorTypeForStatus } from "#contract";
import { resignSessionCookie } from "../auth/cookie-rotation.ts";
import type { AppEnv } from "../env.ts";
import { notFound } from "../errors.ts";
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
    const { createAuth } = await import("../auth/better-auth.ts");
    const auth = createAuth(c.var.config, c.var.db);
    const { authCookies } = await auth.$context;
    const resigned = await resignSessionCookie(c.req.raw, authCookies.sessionToken, c.var.config);
    let response = await auth.handler(resigned?.request ?? c.req.raw);
    if (response.status >= 500) return internalError(c.var.requestId, response);
    if (response.status >= 400) return withErrorFields(response);
    if (stripsSessionToken(c.req.path)) response = await withoutSessionToken(response);
    if (
      resigned &&
      !response.headers.getSetCookie().some((cookie) => cookie.startsWith(authCookies.sessionToken.name))
    ) {
      response = new Response(response.body, response);
      response.headers.append("Set-Cookie", resigned.setCookie);
    }
    if (c.req.path === "/api/auth/jwks") {
      response = new Response(response.body, response);
      // Public keys change rarely and are published before they sign anything (keys:rotate).
      response.headers.set("Cache-Control", "public, max-age=60");
    }
    return response;
  })
  // Better Auth serves GET and POST only; any other method is a JSON 404 here, not a 401 from the
  // token check further down.
  .all("/*", (c) => notFound(c));

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

/** Better Auth's own 5xx: logged with the request id, answered without its internals. */
async function internalError(requestId: string, response: Response): Promise<Response> {
  const text = await response.text().catch(() => "");
  console.error(
    JSON.stringify({
      level: "error",
      requestId,
      msg: "Better Auth answered 5xx",
      status: response.status,
      body: text.slice(0, 500),
    }),
  );
  const status = response.status === 503 ? 503 : 500;
  return Response.json(
    {
      detail: status === 503 ? "The service is unavailable; please retry shortly" : "Internal server error",
      status_code: status,
      error_type: errorTypeForStatus(status),
    },
    { status, headers: status === 503 ? { "Retry-After": "5" } : {} },
  );
}

async function withErrorFields(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  let body: Record<string, unknown> = {};
  if (response.headers.get("Content-Type")?.includes("application/json")) {
    const parsed: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  }
  const code = typeof body.code === "string" ? body.code : undefined;
  const status = (code && STATUS_BY_CODE[code]) || response.status;
  const detail =
    typeof body.message === "string" && body.message ? body.message : response.statusText || `HTTP ${status}`;
  const headers = new Headers(response.headers);
  headers.set("Content-Type", "application/json");
  headers.delete("Content-Length");
  return new Response(
    JSON.stringify({ ...body, detail, status_code: status, error_type: errorTypeForStatus(status) }),
    { status, headers },
  );
}
