// Shared pieces of the web unit tests: JWTs shaped like the Worker's, and an in-process stand-in
// for the Web Locks API (Node has no navigator.locks; Chromium's real one runs in the e2e tests).
import type { LocksLike } from "../src/lib/token-manager.ts";

const base64url = (value: string) => btoa(value).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** An unsigned JWT with the claims the token manager reads (the client never verifies signatures). */
export function makeJwt(claims: { sub: string; iat: number; exp: number; jti?: string }): string {
  return `${base64url(JSON.stringify({ alg: "EdDSA", kid: "test" }))}.${base64url(JSON.stringify(claims))}.signature`;
}

/** Issues a new token of `ttlSeconds` on each call, counting calls; `latencyMs` of (fake) time each. */
export function tokenIssuer(options: { ttlSeconds: number; sub?: string; latencyMs?: number }) {
  let issued = 0;
  const fetchToken = async (): Promise<string> => {
    issued += 1;
    const serial = issued;
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const iat = Math.floor(Date.now() / 1000);
    return makeJwt({ sub: options.sub ?? "user-1", iat, exp: iat + options.ttlSeconds, jti: String(serial) });
  };
  return { fetchToken, calls: () => issued };
}

/** Web Locks semantics the manager relies on: one holder per name, FIFO waiters, `ifAvailable`
 * answered with a null lock when the name is held or queued. */
export function inProcessLocks(): LocksLike {
  const queues = new Map<string, { tail: Promise<void>; count: number }>();
  async function request<T>(
    name: string,
    optionsOrCallback: { ifAvailable: true } | ((lock: unknown) => Promise<T>),
    maybeCallback?: (lock: unknown) => Promise<T>,
  ): Promise<T> {
    const [options, callback] =
      typeof optionsOrCallback === "function" ? [{}, optionsOrCallback] : [optionsOrCallback, maybeCallback!];
    const queue = queues.get(name) ?? { tail: Promise.resolve(), count: 0 };
    queues.set(name, queue);
    if ("ifAvailable" in options && queue.count > 0) return callback(null);
    queue.count += 1;
    const previous = queue.tail;
    let release!: () => void;
    queue.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await callback({ name });
    } finally {
      queue.count -= 1;
      release();
    }
  }
  return { request } as LocksLike;
}

/** Lets BroadcastChannel deliver (real event loop; only timers and Date are faked in the tests). */
export async function deliverMessages(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
