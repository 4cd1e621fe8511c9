// /api/auth/*: Better Auth's own endpoints, behind the Worker's rate limiter, with every error
// response given the API's error fields (detail, status_code, error_type) beside Better Auth's
// own `code` and `message`, so a client parses one shape everywhere.
import { Hono } from "hono";
import { createAuth } from "../auth/better-auth.ts";
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
    const auth = createAuth(c.var.config, c.var.db);
    return withErrorFields(await auth.handler(c.req.raw));
  });

async function withErrorFields(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  let body: Record<string, unknown> = {};
  if (response.headers.get("Content-Type")?.includes("application/json")) {
    const parsed: unknown = await response.clone().json().catch(() => undefined);
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
