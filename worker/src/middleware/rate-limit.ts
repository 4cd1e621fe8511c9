// Limits attempts per client IP and route (sign-in, sign-up, password change) using the
// RateLimiter Durable Object. Over the limit: 429 in the standard error shape, with Retry-After.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";

export const rateLimitAuth = createMiddleware<AppEnv>(async (c, next) => {
  const rule = c.var.config.authRateLimit;
  if (!rule) return next();
  // Cloudflare sets cf-connecting-ip and clients cannot override it; X-Forwarded-For is not trusted.
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  const key = `${c.req.method} ${c.req.path} ${ip}`;
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
  // Fail closed: without the counter the attempt is refused, never let through unlimited.
  const verdict = await limiter.hit(rule.max, rule.windowSeconds).catch((err: unknown) => {
    throw new AppError("service_unavailable", "Rate limiter unavailable; please retry shortly", {
      headers: { "Retry-After": "5" },
      cause: err,
    });
  });
  c.header("RateLimit-Limit", String(rule.max));
  c.header("RateLimit-Remaining", String(verdict.remaining));
  if (!verdict.allowed) {
    throw new AppError("rate_limited", `Too many attempts; try again in ${verdict.retryAfterSeconds} seconds`, {
      headers: { "Retry-After": String(verdict.retryAfterSeconds) },
    });
  }
  await next();
});
