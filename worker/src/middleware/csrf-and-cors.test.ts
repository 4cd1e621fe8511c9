// Cross-site requests: state-changing auth requests carrying the session cookie need our Origin;
// GET changes nothing; CORS answers only trusted origins, with credentials; every answer, Better
// Auth's too, carries Vary: Origin, so that no cache hands one origin's answer to another.
import { describe, expect, test } from "vitest";
import { BASE, call, freshIp, STRONG_PASSWORD, signUp } from "../../test/client.ts";

const TRUSTED = "http://localhost:5173";
const FOREIGN = "https://evil.example";

const tokenStatus = async (cookie: string) => (await call("/api/auth/token", { headers: { Cookie: cookie } })).status;

describe("CSRF", () => {
  test.each([
    ["a foreign Origin", { Origin: FOREIGN }],
    ["Origin: null", { Origin: "null" }],
    ["no Origin", {}],
  ])("sign-out with the cookie and %s is 403 and signs nobody out", async (_, origin) => {
    const user = await signUp();
    const res = await call("/api/auth/sign-out", { method: "POST", headers: { Cookie: user.cookie, ...origin } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status_code: 403, error_type: "authorization_error" });
    expect(await tokenStatus(user.cookie)).toBe(200);
  });

  test("a password change from a foreign Origin is 403 and the password stays", async () => {
    const user = await signUp();
    const res = await call("/api/auth/change-password", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Cookie: user.cookie,
        Origin: FOREIGN,
        "cf-connecting-ip": freshIp(),
      },
      body: JSON.stringify({ currentPassword: user.password, newPassword: `${STRONG_PASSWORD}-x` }),
    });
    expect(res.status).toBe(403);
    const signIn = await call("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(signIn.status).toBe(200);
  });

  test("a sign-in posted from a foreign page is 403 (login CSRF)", async () => {
    const user = await signUp();
    const res = await call("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: FOREIGN, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(403);
  });

  test("the trusted origin may", async () => {
    const user = await signUp();
    const res = await call("/api/auth/sign-out", { method: "POST", headers: { Cookie: user.cookie, Origin: TRUSTED } });
    expect(res.status).toBe(200);
    expect(await tokenStatus(user.cookie)).toBe(401);
  });

  test("GET changes nothing: sign-out and revocation are POST only", async () => {
    const user = await signUp();
    for (const path of ["/api/auth/sign-out", "/api/auth/revoke-sessions", "/api/auth/change-password"]) {
      const res = await call(path, { headers: { Cookie: user.cookie, Origin: BASE } });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(await tokenStatus(user.cookie)).toBe(200);
  });
});

describe("CORS", () => {
  test("a foreign origin gets no Access-Control headers at all", async () => {
    for (const method of ["GET", "OPTIONS"]) {
      const res = await call("/api/health", {
        method,
        headers: { Origin: FOREIGN, "Access-Control-Request-Method": "GET" },
      });
      expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
      expect(res.headers.get("Access-Control-Allow-Credentials")).toBeNull();
      expect(res.headers.get("Vary")).toMatch(/Origin/);
    }
  });

  test("Better Auth's answers vary by Origin too, whatever the Origin and the answer", async () => {
    const user = await signUp();
    for (const origin of [{}, { Origin: FOREIGN }, { Origin: TRUSTED }] as Record<string, string>[]) {
      const answers = [
        await call("/api/auth/jwks", { headers: origin }),
        await call("/api/auth/token", { headers: { Cookie: user.cookie, ...origin } }),
        await call("/api/auth/get-session", { headers: { Cookie: user.cookie, ...origin } }),
        await call("/api/auth/token", { headers: origin }),
        await call("/api/auth/sign-out", {
          method: "POST",
          headers: { "Content-Type": "application/json", ...origin },
          body: "{}",
        }),
      ];
      for (const res of answers) {
        expect(res.headers.get("Vary"), `${JSON.stringify(origin)} ${res.status}`).toMatch(/\bOrigin\b/);
      }
    }
  });

  test("the trusted origin is echoed with credentials, never *", async () => {
    const res = await call("/api/health", { headers: { Origin: TRUSTED } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(TRUSTED);
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(res.headers.get("Vary")).toMatch(/Origin/);

    const preflight = await call("/api/todos", {
      method: "OPTIONS",
      headers: {
        Origin: TRUSTED,
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization,if-match,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(TRUSTED);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("PATCH");
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("if-match");
  });
});
