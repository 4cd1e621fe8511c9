// Accounts and sessions through Better Auth's real endpoints: sign-up, the session cookie, sign-in,
// sign-out, the access token and its claims, and the JWKS that verifies it.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  accessToken,
  BASE,
  call,
  errorBody,
  freshIp,
  json,
  STRONG_PASSWORD,
  sessionCookie,
  signUp,
  uniqueEmail,
} from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";

const DAY = 24 * 60 * 60 * 1000;

function authPost(path: string, body: unknown, extra: Record<string, string> = {}) {
  const { body: payload, headers } = json(body);
  return call(path, {
    method: "POST",
    body: payload,
    headers: { ...headers, Origin: BASE, "cf-connecting-ip": freshIp(), ...extra },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("sign-up", () => {
  test("creates the user and sets a 30-day httpOnly session cookie", async () => {
    const email = uniqueEmail();
    const res = await authPost("/api/auth/sign-up/email", { name: "Grace Hopper", email, password: STRONG_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string; email: string; name: string } };
    expect(body.user).toMatchObject({ email, name: "Grace Hopper" });

    const cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(new RegExp(`Max-Age=${30 * 24 * 60 * 60}`));
  });

  test("requires a name", async () => {
    for (const name of [undefined, "", "   "]) {
      const res = await authPost("/api/auth/sign-up/email", { name, email: uniqueEmail(), password: STRONG_PASSWORD });
      expect(res.status).toBe(400);
      expect(await errorBody(res)).toMatchObject({ status_code: 400, error_type: "validation_error" });
    }
  });

  test("a name change is held to the same rule: no empty or oversized names in tokens", async () => {
    const user = await signUp();
    const update = (name: string) =>
      call("/api/auth/update-user", {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: user.cookie, Origin: BASE },
        body: JSON.stringify({ name }),
      });
    expect((await update("")).status).toBe(400);
    expect((await update("x".repeat(5000))).status).toBe(400);
    expect((await update("Ada King")).status).toBe(200);
    const me = await call("/api/me", { headers: { Authorization: `Bearer ${await accessToken(user)}` } });
    expect(await me.json()).toMatchObject({ name: "Ada King" });
  });

  test("refuses an e-mail that is already registered, with 409 conflict", async () => {
    const user = await signUp();
    const res = await authPost("/api/auth/sign-up/email", {
      name: "Someone Else",
      email: user.email,
      password: STRONG_PASSWORD,
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
      status_code: 409,
      error_type: "conflict",
      detail: expect.any(String),
    });
  });
});

describe("sign-in and sign-out", () => {
  test("signs in with the right password and gets a working session", async () => {
    const user = await signUp();
    const res = await authPost("/api/auth/sign-in/email", { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    const session = await call("/api/auth/get-session", { headers: { Cookie: sessionCookie(res) } });
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe(user.id);
  });

  test("a wrong password and an unknown e-mail get the same 401 answer", async () => {
    const user = await signUp();
    const wrongPassword = await authPost("/api/auth/sign-in/email", { email: user.email, password: "Wrong-Pass-1" });
    const unknownEmail = await authPost("/api/auth/sign-in/email", { email: uniqueEmail(), password: "Wrong-Pass-1" });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const body = await wrongPassword.json();
    expect(body).toEqual(await unknownEmail.json());
    expect(body).toMatchObject({
      code: "INVALID_EMAIL_OR_PASSWORD",
      detail: "Invalid email or password",
      status_code: 401,
      error_type: "authentication_error",
    });
  });

  test("sign-out ends the session: the old cookie no longer gets a token", async () => {
    const user = await signUp();
    expect(await accessToken(user)).toMatch(/^ey/);
    const out = await call("/api/auth/sign-out", { method: "POST", headers: { Cookie: user.cookie, Origin: BASE } });
    expect(out.status).toBe(200);
    const res = await call("/api/auth/token", { headers: { Cookie: user.cookie } });
    expect(res.status).toBe(401);
    expect(await errorBody(res)).toMatchObject({ status_code: 401, error_type: "authentication_error" });
  });
});

describe("sessions are long-lived and sliding", () => {
  test("a session used after a day is renewed for another 30 days", async () => {
    const user = await signUp();
    const first = (await (await call("/api/auth/get-session", { headers: { Cookie: user.cookie } })).json()) as {
      session: { expiresAt: string };
    };
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * DAY);
    const later = await call("/api/auth/get-session", { headers: { Cookie: user.cookie } });
    const renewed = (await later.json()) as { session: { expiresAt: string } };
    expect(new Date(renewed.session.expiresAt).getTime() - new Date(first.session.expiresAt).getTime()).toBeGreaterThan(
      DAY,
    );
    expect(later.headers.getSetCookie().some((c) => c.includes("session_token="))).toBe(true);
  });

  test("a session unused for over 30 days is refused", async () => {
    const user = await signUp();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * DAY);
    const res = await call("/api/auth/token", { headers: { Cookie: user.cookie } });
    expect(res.status).toBe(401);
  });
});

describe("the session token stays in its httpOnly cookie", () => {
  test("sign-up, sign-in and get-session do not repeat it in their JSON", async () => {
    const email = uniqueEmail();
    const signUpRes = await authPost("/api/auth/sign-up/email", { name: "Quiet", email, password: STRONG_PASSWORD });
    const signInRes = await authPost("/api/auth/sign-in/email", { email, password: STRONG_PASSWORD });
    const cookie = sessionCookie(signInRes);
    const sessionToken = decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;
    const session = await call("/api/auth/get-session", { headers: { Cookie: cookie } });
    for (const res of [signUpRes, signInRes, session]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(sessionToken);
      expect(JSON.parse(text)).not.toHaveProperty("token");
    }
    // The cookie itself still works.
    expect((await call("/api/auth/token", { headers: { Cookie: cookie } })).status).toBe(200);
  });
});

describe("access tokens", () => {
  test("GET /api/auth/token returns an EdDSA JWT with exactly the promised claims", async () => {
    const user = await signUp();
    const token = await accessToken(user);
    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe("EdDSA");
    expect(header.kid).toEqual(expect.any(String));

    const jwks = (await (await call("/api/auth/jwks")).json()) as { keys: Record<string, string>[] };
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
      expect(key).not.toHaveProperty("d");
    }
    // Verified independently of the Worker's own verifier, from the published JWKS.
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: TEST_BINDINGS.PUBLIC_BASE_URL,
      audience: TEST_BINDINGS.PUBLIC_BASE_URL,
      algorithms: ["EdDSA"],
    });
    expect(Object.keys(payload).sort()).toEqual(["aud", "email", "exp", "iat", "iss", "name", "sub"]);
    expect(payload).toMatchObject({ sub: user.id, email: user.email, name: user.name });
    expect(payload.exp! - payload.iat!).toBe(Number(TEST_BINDINGS.ACCESS_TOKEN_TTL_SECONDS));
  });

  test("after sign-out, a token already issued works until it expires: the documented window, no longer", async () => {
    const user = await signUp();
    const token = await accessToken(user);
    await call("/api/auth/sign-out", { method: "POST", headers: { Cookie: user.cookie, Origin: BASE } });
    expect((await call("/api/auth/token", { headers: { Cookie: user.cookie } })).status).toBe(401);
    expect((await call("/api/me", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (Number(TEST_BINDINGS.ACCESS_TOKEN_TTL_SECONDS) + 30) * 1000);
    expect((await call("/api/me", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  test("no session, no token", async () => {
    const res = await call("/api/auth/token");
    expect(res.status).toBe(401);
    expect(await errorBody(res)).toMatchObject({ status_code: 401, error_type: "authentication_error" });
  });
});
