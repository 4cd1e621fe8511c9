// Sessions are under the user's control: listed, revoked one by one or everywhere, ended by a
// password change everywhere else; and ten tabs refreshing at once all get tokens without
// disturbing the session.
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, test } from "vitest";
import { BASE, call, freshIp, STRONG_PASSWORD, sessionCookie, signUp, type TestUser } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";

async function signInAgain(user: TestUser): Promise<string> {
  const res = await call("/api/auth/sign-in/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  expect(res.status).toBe(200);
  return sessionCookie(res);
}

function post(path: string, cookie: string, body: unknown = {}) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify(body),
  });
}

const tokenStatus = async (cookie: string) => (await call("/api/auth/token", { headers: { Cookie: cookie } })).status;

interface SessionJson {
  token: string;
  userAgent: string | null;
}

describe("sessions", () => {
  test("are listed, and one can be revoked", async () => {
    const user = await signUp();
    const laptop = user.cookie;
    const phone = await signInAgain(user);
    const res = await call("/api/auth/list-sessions", { headers: { Cookie: laptop } });
    const sessions = (await res.json()) as SessionJson[];
    expect(sessions).toHaveLength(2);

    const phoneToken = decodeURIComponent(phone.split("=")[1]!).split(".")[0];
    expect((await post("/api/auth/revoke-session", laptop, { token: phoneToken })).status).toBe(200);
    expect(await tokenStatus(phone)).toBe(401);
    expect(await tokenStatus(laptop)).toBe(200);
  });

  test('"sign out everywhere" ends every session', async () => {
    const user = await signUp();
    const other = await signInAgain(user);
    expect((await post("/api/auth/revoke-sessions", user.cookie)).status).toBe(200);
    expect(await tokenStatus(user.cookie)).toBe(401);
    expect(await tokenStatus(other)).toBe(401);
  });

  test("changing the password needs the current one, and signs out every other session", async () => {
    const user = await signUp();
    const other = await signInAgain(user);
    const wrong = await post("/api/auth/change-password", user.cookie, {
      currentPassword: "Not-The-Password-1",
      newPassword: `${STRONG_PASSWORD}-2`,
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(await tokenStatus(other)).toBe(200);

    const changed = await post("/api/auth/change-password", user.cookie, {
      currentPassword: user.password,
      newPassword: `${STRONG_PASSWORD}-2`,
    });
    expect(changed.status).toBe(200);
    expect(await tokenStatus(other)).toBe(401);
    // The session that changed it carries on (Better Auth issues it a fresh cookie).
    const current = changed.headers.getSetCookie().some((c) => c.includes("session_token="))
      ? sessionCookie(changed)
      : user.cookie;
    expect(await tokenStatus(current)).toBe(200);
  });
});

describe("refresh stampede", () => {
  test("ten tabs asking for a token at once all get a valid one; the session is untouched", async () => {
    const user = await signUp();
    const sessionBefore = await (await call("/api/auth/get-session", { headers: { Cookie: user.cookie } })).json();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call("/api/auth/token", { headers: { Cookie: user.cookie } })),
    );
    const jwks = createLocalJWKSet((await (await call("/api/auth/jwks")).json()) as never);
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([]);
      const { token } = (await res.json()) as { token: string };
      const { payload } = await jwtVerify(token, jwks, {
        issuer: TEST_BINDINGS.PUBLIC_BASE_URL,
        audience: TEST_BINDINGS.PUBLIC_BASE_URL,
      });
      expect(payload.sub).toBe(user.id);
    }
    const sessionAfter = await (await call("/api/auth/get-session", { headers: { Cookie: user.cookie } })).json();
    expect(sessionAfter).toEqual(sessionBefore);
  });
});
