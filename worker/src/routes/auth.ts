// /api/auth/*: Better Auth's own endpoints, behind the Worker's rate limiter, with every error
// response given the API's error fields (detail, status_code, error_type) beside Better Auth's
// own `code` and `message`, so a client parses one shape everywhere, and without the session token
// in response bodies: it lives in the httpOnly cookie, out of reach of page scripts.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { errorTypeForStatus } from "../errors.ts";
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
    const response = await auth.handler(c.req.raw);
    if (response.status >= 400) return withErrorFields(response);
    return TOKEN_BEARING_PATHS.has(c.req.path) ? withoutSessionToken(response) : response;
  });

/**
 * Successful answers that repeat the session token in their JSON (Better Auth returns it for
 * clients that keep it themselves). This app's clients use the cookie, so the copy goes. The
 * session list keeps its tokens: revoking one session names it by token.
 */
export const TOKEN_BEARING_PATHS = new Set([
  "/api/auth/sign-in/email",
  "/api/auth/sign-up/email",
  "/api/auth/get-session",
]);

async function withoutSessionToken(response: Response): Promise<Response> {
  if (!response.headers.get("Content-Type")?.includes("application/json")) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (!body || typeof body !== "object") return response;
  const record = body as { token?: unknown; session?: { token?: unknown } | null };
  delete record.token;
  if (record.session && typeof record.session === "object") delete record.session.token;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(record), { status: response.status, headers });
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
