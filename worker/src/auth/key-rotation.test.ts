// Rotating the JWT signing key: no window of 401s (the new key is published before it signs, or found
// at once by its kid after an immediate rotation), and a token from the rotated-out key keeps working
// for the grace period and not after it.
// (Exclusive project: rotation changes the keys every other test would be using.)
import { env } from "cloudflare:workers";
import { resolveSigningKey } from "better-auth/plugins/jwt";
import { decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { accessToken, bearer, call, signedInUser, sqlEndpoint, type TestUser } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { createAuth, jwtPluginOptions } from "./better-auth.ts";
import { KEY_ACTIVATION_DELAY_SECONDS, rotateSigningKey, SIGNING_KEY_GRACE_PERIOD_SECONDS } from "./signing-keys.ts";

let user: TestUser & { token: string };

beforeAll(async () => {
  user = await signedInUser();
});

afterEach(() => {
  vi.useRealTimers();
});

async function authAndDb() {
  const config = getConfig(env);
  const db = await createDb(config);
  return { config, db, auth: createAuth(config, db) };
}

/** A token good for a year, signed by the key currently in use: only the key's fate decides. */
async function longLivedTokenFromCurrentKey(): Promise<{ token: string; kid: string }> {
  const { auth, config } = await authAndDb();
  const context = await auth.$context;
  const { kid, privateKey } = (await resolveSigningKey({ context } as never, jwtPluginOptions(config)))!;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sub: user.id, email: user.email, name: user.name })
    .setProtectedHeader({ alg: "EdDSA", kid })
    .setIssuedAt(now)
    .setExpirationTime(now + 365 * 24 * 3600)
    .setIssuer(TEST_BINDINGS.PUBLIC_BASE_URL)
    .setAudience(TEST_BINDINGS.PUBLIC_BASE_URL)
    .sign(privateKey as CryptoKey);
  return { token, kid };
}

const status = async (token: string) => (await call("/api/me", { headers: bearer(token) })).status;

const MINUTE = 60_000;

async function published(): Promise<string[]> {
  const jwks = (await (await call("/api/auth/jwks")).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((k) => k.kid);
}

/** Spends this isolate's unknown-kid reload budget, as an attacker sending made-up kids would. */
async function drainReloadBudget(): Promise<void> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  for (let i = 0; i < 5; i++) {
    const now = Math.floor(Date.now() / 1000);
    const garbage = await new SignJWT({ sub: user.id, iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: "EdDSA", kid: `madeup${crypto.randomUUID().replaceAll("-", "")}` })
      .setIssuer(TEST_BINDINGS.PUBLIC_BASE_URL)
      .setAudience(TEST_BINDINGS.PUBLIC_BASE_URL)
      .sign(privateKey);
    expect(await status(garbage)).toBe(401);
  }
}

test("rotation publishes first: the new key is known everywhere before it signs, the old one retires after the grace period", async () => {
  const start = Date.now();
  const old = await longLivedTokenFromCurrentKey();
  // This isolate has the old key cached, like every isolate serving traffic.
  expect(await status(old.token)).toBe(200);

  const { auth, db, config } = await authAndDb();
  const newKid = await rotateSigningKey(auth, db, jwtPluginOptions(config));
  expect(newKid).not.toBe(old.kid);
  // Published at once, not yet signing.
  expect(await published()).toEqual(expect.arrayContaining([old.kid, newKid]));
  expect(decodeProtectedHeader(await accessToken(user)).kid).toBe(old.kid);

  vi.useFakeTimers({ toFake: ["Date"] });
  // Past the verifiers' key-cache age: this isolate re-reads its keys on the next request.
  vi.setSystemTime(start + 6 * MINUTE);
  expect(await status(old.token)).toBe(200);

  // The switch: tokens now carry the new kid. Even with the unknown-kid reload budget spent by an
  // attacker, they are accepted, because the key was known before it signed anything.
  vi.setSystemTime(start + (KEY_ACTIVATION_DELAY_SECONDS + 60) * 1000);
  await drainReloadBudget();
  const fresh = await accessToken(user);
  expect(decodeProtectedHeader(fresh).kid).toBe(newKid);
  expect(await status(fresh)).toBe(200);
  expect(await status(old.token)).toBe(200);

  // After the grace period the old key verifies nothing, and is no longer published.
  vi.setSystemTime(start + (KEY_ACTIVATION_DELAY_SECONDS + SIGNING_KEY_GRACE_PERIOD_SECONDS + 120) * 1000);
  expect(await status(old.token)).toBe(401);
  expect(await published()).not.toContain(old.kid);
  const { token: newLongLived } = await longLivedTokenFromCurrentKey();
  expect(await status(newLongLived)).toBe(200);
});

test("an immediate rotation (after a key leak) works at once through the unknown-kid reload", async () => {
  const { auth, db, config } = await authAndDb();
  const newKid = await rotateSigningKey(auth, db, jwtPluginOptions(config), 0);
  const fresh = await accessToken(user);
  expect(decodeProtectedHeader(fresh).kid).toBe(newKid);
  const before = (await sqlEndpoint.stats()).roundTrips;
  expect(await status(fresh)).toBe(200);
  // One reload of the key set, and no more for the next requests.
  expect((await sqlEndpoint.stats()).roundTrips - before).toBe(1);
  expect(await status(fresh)).toBe(200);
  expect((await sqlEndpoint.stats()).roundTrips - before).toBe(1);
});
