// One fixed-window counter per (route, client IP). A Durable Object makes the count atomic and
// shared by every isolate of the Worker, which per-isolate memory cannot be.
import { DurableObject } from "cloudflare:workers";

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the window resets; what `Retry-After` says when the request is refused. */
  retryAfterSeconds: number;
  remaining: number;
}

interface Window {
  count: number;
  resetAt: number;
}

export class RateLimiter extends DurableObject<Env> {
  /** Counts one attempt against `max` per `windowSeconds`. */
  async hit(max: number, windowSeconds: number): Promise<RateLimitVerdict> {
    const now = Date.now();
    let window = await this.ctx.storage.get<Window>("window");
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      // Forget this client once its window is over, so idle IPs leave nothing behind.
      await this.ctx.storage.setAlarm(window.resetAt);
    }
    window.count += 1;
    await this.ctx.storage.put("window", window);
    return {
      allowed: window.count <= max,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
      remaining: Math.max(0, max - window.count),
    };
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
