// Limits attempts per client IP and route (sign-in, sign-up, password change) using the
// RateLimiter Durable Object. Over the limit: 429 in the standard error shape, with Retry-After.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { AppError, serviceUnavailable } from "../errors.ts";

export const rateLimitAuth = createMiddleware<AppEnv>(async (c, next) => {
  const rule = c.var.config.authRateLimit;
  if (!rule) return next();
  // Cloudflare sets cf-connecting-ip and clients cannot override it; X-Forwarded-For is not trusted.
  const key = `${c.req.method} ${c.req.path} ${clientKey(c.req.header("cf-connecting-ip"))}`;
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
  // Fail closed: without the counter the attempt is refused, never let through unlimited.
  const verdict = await limiter.hit(rule.max, rule.windowSeconds).catch((err: unknown) => {
    throw serviceUnavailable("Rate limiter unavailable; please retry shortly", err);
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

/**
 * Who is counted: an IPv4 address, or an IPv6 /64. One subscriber usually holds a whole /64 (2^64
 * addresses), so counting single IPv6 addresses would give an attacker unlimited attempts.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  // IPv4-mapped IPv6 (::ffff:192.0.2.1) is the IPv4 client.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail] = ip.split("::", 2);
  const front = head ? head.split(":") : [];
  const back = tail ? tail.split(":") : [];
  const groups = tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || "0", 16).toString(16))
    .join(":")}::/64`;
}
