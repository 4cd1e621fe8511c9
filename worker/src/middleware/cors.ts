// CORS for the API: only origins in PUBLIC_BASE_URL + TRUSTED_ORIGINS get Access-Control headers,
// and with them credentials; never "*". Every answer varies by Origin, so caches keep them apart.
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";

const corsForTrustedOrigin = cors({
  // Only ever reached with an origin already checked against the configuration (below).
  origin: (origin) => origin,
  credentials: true,
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: ["Content-Type", "Authorization", "If-Match", "Idempotency-Key"],
  exposeHeaders: ["ETag", "Location", "Retry-After", "X-Request-Id", "Idempotent-Replayed"],
  maxAge: 600,
});

export const apiCors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("Origin");
  if (origin && c.var.config.trustedOrigins.includes(origin)) return corsForTrustedOrigin(c, next);
  // Same-origin and non-browser requests, and every other origin: no CORS headers at all, and a
  // preflight gets an empty answer, which the browser reads as "not allowed".
  if (c.req.method === "OPTIONS" && c.req.header("Access-Control-Request-Method")) {
    return c.body(null, 204, { Vary: "Origin" });
  }
  await next();
  // Set on the answer the route gave, whatever it is: a trusted origin's request gets other headers,
  // so a cache must not serve this answer to it (nor that one to this request).
  c.header("Vary", "Origin", { append: true });
});
