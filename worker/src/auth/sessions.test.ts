// Sessions are under the user's control: listed, revoked one by one or everywhere, ended by a
// password change everywhere else; and ten tabs refreshing at once all get tokens without
// disturbing the session.
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, test } from "vitest";
import {
  accessToken,
  BASE,
  call,
  freshIp,
  STRONG_PASSWORD,
  sessionCookie,
  signUp,
  type TestUser,
} from "../../test/client.ts";
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
  id: string;
}

const SESSION_FIELDS = ["createdAt", "expiresAt", "id", "ipAddress", "updatedAt", "userAgent"];

/** The session token inside a `name=value` session cookie (the value is token.signature). */
const sessionTokenOf = (cookie: string) => decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;

describe("sessions", () => {
  test("are listed by id (never by token), and one can be revoked", async () => {
    const user = await signUp();
    const laptop = user.cookie;
    const bearer = { Authorization: `Bearer ${await accessToken(user)}` };
    const list = async () => {
      const res = await call("/api/sessions", { headers: bearer });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(sessionTokenOf(laptop));
      return (JSON.parse(text) as { items: SessionJson[] }).items;
    };
    const [laptopSession] = await list();
    const phone = await signInAgain(user);
    const sessions = await list();
    expect(sessions).toHaveLength(2);
    for (const session of sessions) expect(Object.keys(session).sort()).toEqual(SESSION_FIELDS);
    const phoneSession = sessions.find((s) => s.id !== laptopSession!.id)!;

    expect((await call(`/api/sessions/${phoneSession.id}`, { method: "DELETE", headers: bearer })).status).toBe(204);
    expect(await tokenStatus(phone)).toBe(401);
    expect(await tokenStatus(laptop)).toBe(200);
    expect((await call(`/api/sessions/${phoneSession.id}`, { method: "DELETE", headers: bearer })).status).toBe(404);
  });

  test("another user's session id is not found, and stays signed in", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const aliceBearer = { Authorization: `Bearer ${await accessToken(alice)}` };
    const bobBearer = { Authorization: `Bearer ${await accessToken(bob)}` };
    const bobs = (await (await call("/api/sessions", { headers: bobBearer })).json()) as { items: SessionJson[] };
    const res = await call(`/api/sessions/${bobs.items[0]!.id}`, { method: "DELETE", headers: aliceBearer });
    expect(res.status).toBe(404);
    expect(await tokenStatus(bob.cookie)).toBe(200);
  });

  test("an id no session can have (Postgres text holds no NUL) is not found either", async () => {
    const bearer = { Authorization: `Bearer ${await accessToken(await signUp())}` };
    const res = await call("/api/sessions/a%00b", { method: "DELETE", headers: bearer });
    expect(res.status).toBe(404);
  });

  test("Better Auth's token-naming session endpoints are switched off", async () => {
    const user = await signUp();
    expect((await call("/api/auth/list-sessions", { headers: { Cookie: user.cookie } })).status).toBe(404);
    const revoke = await post("/api/auth/revoke-session", user.cookie, { token: sessionTokenOf(user.cookie) });
    expect(revoke.status).toBe(404);
    expect(await tokenStatus(user.cookie)).toBe(200);
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
    // Better Auth answers with the new session's token; the Worker keeps it in the cookie only.
    expect(await changed.clone().json()).not.toHaveProperty("token");
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
