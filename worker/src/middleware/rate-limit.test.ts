// Sign-in, sign-up and password change are rate limited per client IP, with a counter shared by
// every isolate (a Durable Object): past the limit, 429 with Retry-After in the standard error shape.
import { env } from "cloudflare:test";
import { describe, expect, test } from "vitest";
import { BASE, call, callWith, freshIp, signUp, uniqueEmail } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { clientKey } from "./rate-limit.ts";

const MAX = Number(TEST_BINDINGS.AUTH_RATE_LIMIT.split("/")[0]);

function post(path: string, body: unknown, ip: string, headers: Record<string, string> = {}) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": ip, ...headers },
    body: JSON.stringify(body),
  });
}

describe("sign-in", () => {
  test(`the ${MAX + 1}th attempt from one IP is 429 with Retry-After; other IPs are unaffected`, async () => {
    const user = await signUp();
    const ip = freshIp();
    for (let i = 0; i < MAX; i++) {
      const res = await post("/api/auth/sign-in/email", { email: user.email, password: "Wrong-Pass-1" }, ip);
      expect(res.status).toBe(401);
    }
    // Even the right password is refused now: the limit is on attempts, not on failures.
    const limited = await post("/api/auth/sign-in/email", { email: user.email, password: user.password }, ip, {
      "X-Forwarded-For": "192.0.2.1",
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      status_code: 429,
      error_type: "rate_limited",
      detail: expect.any(String),
    });

    const elsewhere = await post("/api/auth/sign-in/email", { email: user.email, password: user.password }, freshIp());
    expect(elsewhere.status).toBe(200);
  });
});

describe("the window", () => {
  test("after the window, the right password works again", async () => {
    // A 2-second window, through the Worker with that one setting changed.
    const deployed = { ...env, AUTH_RATE_LIMIT: "2/2" };
    const user = await signUp();
    const ip = freshIp();
    const attempt = (password: string) =>
      callWith(
        deployed,
        new Request(`${BASE}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": ip },
          body: JSON.stringify({ email: user.email, password }),
        }),
      );
    expect((await attempt("Wrong-Pass-1")).status).toBe(401);
    expect((await attempt("Wrong-Pass-1")).status).toBe(401);
    const limited = await attempt(user.password);
    expect(limited.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(limited.headers.get("Retry-After")) * 1000 + 100));
    expect((await attempt(user.password)).status).toBe(200);
  });
});

describe("sign-up", () => {
  test("floods from one IP are cut off", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i <= MAX; i++) {
      const res = await post(
        "/api/auth/sign-up/email",
        { name: "Flood", email: uniqueEmail("flood"), password: "Flood-Pass-1" },
        ip,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(MAX).fill(200), 429]);
  });
});

describe("other auth endpoints", () => {
  test("are not limited by the sign-in counter", async () => {
    const user = await signUp();
    const ip = freshIp();
    for (let i = 0; i <= MAX; i++) {
      await post("/api/auth/sign-in/email", { email: user.email, password: "Wrong-Pass-1" }, ip);
    }
    expect((await post("/api/auth/sign-in/email", { email: user.email, password: user.password }, ip)).status).toBe(
      429,
    );
    for (let i = 0; i < MAX + 2; i++) {
      const res = await call("/api/auth/get-session", { headers: { Cookie: user.cookie, "cf-connecting-ip": ip } });
      expect(res.status).toBe(200);
    }
  });
});

describe("who is counted", () => {
  test("an IPv6 /64 is one client: a new address in it does not reset the counter", async () => {
    const user = await signUp();
    const prefix = `2001:db8:${Math.floor(Math.random() * 65535).toString(16)}:1`;
    for (let i = 1; i <= MAX; i++) {
      const res = await post(
        "/api/auth/sign-in/email",
        { email: user.email, password: "Wrong-Pass-1" },
        `${prefix}::${i}`,
      );
      expect(res.status).toBe(401);
    }
    const sameNetwork = await post(
      "/api/auth/sign-in/email",
      { email: user.email, password: user.password },
      `${prefix}:ffff:0:0:99`,
    );
    expect(sameNetwork.status).toBe(429);
    const otherNetwork = `2001:db8:${Math.floor(Math.random() * 65535).toString(16)}:2::1`;
    expect(
      (await post("/api/auth/sign-in/email", { email: user.email, password: user.password }, otherNetwork)).status,
    ).toBe(200);
  });

  test.each([
    ["192.0.2.7", "192.0.2.7"],
    ["2001:db8:a:b:c:d:e:f", "2001:db8:a:b::/64"],
    ["2001:0db8:000a:000b::1", "2001:db8:a:b::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    [undefined, "unknown"],
  ])("clientKey(%s) = %s", (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});
