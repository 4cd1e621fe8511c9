// Operations: every API response carries security headers and a request id, no cache keeps an
// answer that carries a credential, each request is one structured log line with that id, and no
// password, token or cookie ever reaches the logs.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  accessToken,
  BASE,
  call,
  callWith,
  freshIp,
  STRONG_PASSWORD,
  sessionCookie,
  uniqueEmail,
} from "../../test/client.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("security headers", () => {
  test("API answers cannot be framed, sniffed or run as a page", async () => {
    for (const res of [await call("/api/health"), await call("/api/todos"), await call("/api/auth/get-session")]) {
      expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
      expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      // http://localhost: no HSTS.
      expect(res.headers.get("Strict-Transport-Security")).toBeNull();
    }
  });

  test("HSTS wherever the app is served over HTTPS", async () => {
    const deployed = { ...env, PUBLIC_BASE_URL: "https://todo.example.com" };
    const res = await callWith(deployed, new Request("https://todo.example.com/api/health"));
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
  });
});

describe("caching", () => {
  test("no cache may keep an answer that carries a credential or the user's data", async () => {
    const headers = { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() };
    const email = uniqueEmail("cache");
    const signUp = await call("/api/auth/sign-up/email", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Cached", email, password: STRONG_PASSWORD }),
    });
    const cookie = sessionCookie(signUp);
    const answers = {
      "sign-up": signUp,
      "sign-in": await call("/api/auth/sign-in/email", {
        method: "POST",
        headers,
        body: JSON.stringify({ email, password: STRONG_PASSWORD }),
      }),
      token: await call("/api/auth/token", { headers: { Cookie: cookie } }),
      "get-session": await call("/api/auth/get-session", { headers: { Cookie: cookie } }),
      "update-user": await call("/api/auth/update-user", {
        method: "POST",
        headers: { ...headers, Cookie: cookie },
        body: JSON.stringify({ name: "Still cached" }),
      }),
      "no session": await call("/api/auth/token"),
      todos: await call("/api/todos", { headers: { Authorization: `Bearer ${await accessToken({ cookie })}` } }),
      "no token": await call("/api/todos"),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers.get("Cache-Control"), `${name} ${res.status}`).toBe("no-store");
    }
  });

  test("the public keys may be cached for a minute, kept apart by Origin", async () => {
    const origins: Record<string, string>[] = [
      {},
      { Origin: "https://evil.example" },
      { Origin: "http://localhost:5173" },
    ];
    for (const headers of origins) {
      const res = await call("/api/auth/jwks", { headers });
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
      expect(res.headers.get("Vary")).toMatch(/\bOrigin\b/);
    }
  });
});

describe("logs", () => {
  function captureLogs(): string[] {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
    return lines;
  }

  test("one JSON line per request, with the request id the client got", async () => {
    const lines = captureLogs();
    const res = await call("/api/todos", { headers: { "X-Request-Id": "trace-me-123" } });
    expect(res.headers.get("X-Request-Id")).toBe("trace-me-123");
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: "request",
        requestId: "trace-me-123",
        method: "GET",
        path: "/api/todos",
        status: 401,
      }),
    );
  });

  test("no password, token or cookie in any log line", async () => {
    const lines = captureLogs();
    const email = uniqueEmail("logs");
    const password = `${STRONG_PASSWORD}-Secret42`;
    const headers = { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() };
    const signUp = await call("/api/auth/sign-up/email", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Logged", email, password }),
    });
    const cookie = sessionCookie(signUp);
    await call("/api/auth/sign-in/email", {
      method: "POST",
      headers,
      body: JSON.stringify({ email, password: "Wrong-1-pass" }),
    });
    const token = await accessToken({ cookie });
    await call(`/api/todos?access_token=${token}`, { headers: { Authorization: `Bearer ${token}` } });
    await call("/api/todos", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: '{"title": broken',
    });
    await call("/api/me", { headers: { Authorization: `Bearer ${token}x` } });

    const logged = lines.join("\n");
    expect(lines.length).toBeGreaterThan(4);
    const sessionToken = decodeURIComponent(cookie.split("=")[1]!);
    for (const secret of [password, "Wrong-1-pass", token, sessionToken, sessionToken.split(".")[0]!, cookie]) {
      expect(logged).not.toContain(secret);
    }
  });
});
