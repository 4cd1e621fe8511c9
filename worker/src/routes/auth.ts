// /api/auth/*: Better Auth's own endpoints, behind the Worker's rate limiter, with every error
// response given the API's error fields (detail, status_code, error_type) beside Better Auth's
// own `code` and `message`, so a client parses one shape everywhere, and without the session token
// in response bodies: it lives in the httpOnly cookie, out of reach of page scripts.
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorTypeForStatus } from "#contract";
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
    let response = await authFor(c.var.config, c.var.db).handler(c.req.raw);
    if (response.status >= 500) throw await betterAuthFailure(response, c.var.requestId);
    if (response.status >= 400) return withErrorFields(response);
    if (stripsSessionToken(c.req.path)) response = await withoutSessionToken(response);
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

/** Better Auth's own 5xx, to be answered without its internals (onError logs anything but a 503). */
async function betterAuthFailure(response: Response, requestId: string): Promise<Error> {
  const body = (await response.text().catch(() => "")).slice(0, 500);
  const error = new Error(`Better Auth answered ${response.status}: ${body}`);
  if (response.status !== 503) return error;
  log("warn", "Better Auth answered 503", { requestId, error: error.message });
  return serviceUnavailable("The service is unavailable; please retry shortly", error);
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
  headers.delete("Content-Length");
  const error = new AppError(errorTypeForStatus(status), detail, { status: status as ContentfulStatusCode });
  return Response.json({ ...body, ...error.toBody() }, { status, headers });
}
