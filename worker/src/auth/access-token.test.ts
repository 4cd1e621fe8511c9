// The todo API's bearer check: every way a token can be wrong is a 401 in the standard error shape,
// a good token costs no database round trip, and nothing about it is taken from the request.
import { env } from "cloudflare:workers";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { bearer, call, errorBody, signedInUser, type TestUser } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { createAuth } from "./better-auth.ts";

let user: TestUser & { token: string };
let kid: string;

beforeAll(async () => {
  user = await signedInUser();
  const jwks = (await (await call("/api/auth/jwks")).json()) as { keys: { kid: string }[] };
  kid = jwks.keys[0]!.kid;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Signs `payload` with the Worker's real signing key through Better Auth's server-only API. */
async function signWithOurKey(payload: Record<string, unknown>): Promise<string> {
  const config = getConfig(env);
  const auth = createAuth(config, await createDb(config));
  const { token } = await auth.api.signJWT({ body: { payload } });
  return token;
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

async function expect401(token: string | undefined, header = token === undefined ? undefined : `Bearer ${token}`) {
  const res = await call("/api/me", { headers: header === undefined ? {} : { Authorization: header } });
  expect(res.status).toBe(401);
  const body = await errorBody(res);
  expect(body).toMatchObject({ status_code: 401, error_type: "authentication_error" });
  expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  return { res, body };
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: user.id,
    email: user.email,
    name: user.name,
    iat: now,
    exp: now + 60,
    iss: TEST_BINDINGS.PUBLIC_BASE_URL,
    aud: TEST_BINDINGS.PUBLIC_BASE_URL,
    ...overrides,
  };
}

test("a valid token reaches the API as its subject", async () => {
  const res = await call("/api/me", { headers: bearer(user.token) });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id: user.id, email: user.email, name: user.name });
});

describe("401 for", () => {
  test("a missing Authorization header", async () => {
    const { res } = await expect401(undefined);
    expect((await call("/api/todos")).status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="api"');
  });

  test("another scheme (Basic)", async () => {
    await expect401(undefined, `Basic ${btoa("a@b.c:pw")}`);
  });

  test("something that is not a JWT", async () => {
    await expect401("not-a-jwt");
    await expect401("a.b.c");
  });

  test("a tampered signature", async () => {
    const [h, p, s] = user.token.split(".");
    const flipped = `${s!.slice(0, -2)}${s!.endsWith("AA") ? "BB" : "AA"}`;
    await expect401(`${h}.${p}.${flipped}`);
  });

  test("an edited payload under the original signature", async () => {
    const [h, , s] = user.token.split(".");
    await expect401(`${h}.${encodeSegment(claims({ sub: "someone-else" }))}.${s}`);
  });

  test('alg "none"', async () => {
    await expect401(`${encodeSegment({ alg: "none", kid })}.${encodeSegment(claims())}.`);
  });

  test("HS256 signed with the public key as the HMAC secret", async () => {
    const jwks = (await (await call("/api/auth/jwks")).json()) as { keys: { kid: string; x: string }[] };
    const publicKey = jwks.keys[0]!;
    for (const secret of [JSON.stringify(publicKey), publicKey.x]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: "HS256", kid })
        .sign(new TextEncoder().encode(secret));
      await expect401(token);
    }
  });

  test("a valid signature from another Ed25519 key, claiming our kid", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: "EdDSA", kid }).sign(privateKey));
  });

  test("an unknown key id", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "EdDSA", kid: "no-such-key", jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const { body } = await expect401(token);
    expect(body.detail).toBe("Access token was signed by an unknown key");
  });

  test("an expired token", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (Number(TEST_BINDINGS.ACCESS_TOKEN_TTL_SECONDS) + 30) * 1000);
    const { body } = await expect401(user.token);
    expect(body.detail).toBe("Access token has expired");
  });

  test("a wrong issuer or audience", async () => {
    await expect401(await signWithOurKey(claims({ iss: "https://evil.example" })));
    await expect401(await signWithOurKey(claims({ aud: "https://evil.example" })));
    // The same claims with the right issuer and audience pass, so the failures above are about them.
    expect((await call("/api/me", { headers: bearer(await signWithOurKey(claims())) })).status).toBe(200);
  });

  test("a token without a subject", async () => {
    const { sub: _sub, ...withoutSub } = claims();
    await expect401(await signWithOurKey(withoutSub));
  });

  test("the session token in place of a JWT", async () => {
    const sessionToken = decodeURIComponent(user.cookie.split("=")[1]!).split(".")[0]!;
    await expect401(sessionToken);
    await expect401(decodeURIComponent(user.cookie.split("=")[1]!));
  });

  test("an Authorization header over 8 KiB, before any crypto", async () => {
    await expect401(`${user.token}${"A".repeat(9000)}`);
  });
});
