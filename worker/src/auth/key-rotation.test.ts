// Rotating the JWT signing key: the new key signs and verifies at once (no window of 401s), a token
// from the rotated-out key keeps working for the grace period and not after it.
// (Exclusive project: rotation changes the keys every other test would be using.)
import { env } from "cloudflare:workers";
import { resolveSigningKey } from "better-auth/plugins/jwt";
import { decodeProtectedHeader, SignJWT } from "jose";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { accessToken, bearer, call, signedInUser, sqlEndpoint, type TestUser } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { createAuth, jwtPluginOptions } from "./better-auth.ts";
import { rotateSigningKey, SIGNING_KEY_GRACE_PERIOD_SECONDS } from "./signing-keys.ts";

let user: TestUser & { token: string };

beforeAll(async () => {
  user = await signedInUser();
});

afterEach(() => {
  vi.useRealTimers();
});

function authAndDb() {
  const config = getConfig(env);
  const db = createDb(config);
  return { config, db, auth: createAuth(config, db) };
}

/** A token good for a year, signed by the key currently in use: only the key's fate decides. */
async function longLivedTokenFromCurrentKey(): Promise<{ token: string; kid: string }> {
  const { auth, config } = authAndDb();
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

test("rotation: new key works at once, the old one for the grace period only", async () => {
  const old = await longLivedTokenFromCurrentKey();
  // This isolate has the old key cached, like every isolate serving traffic.
  expect(await status(old.token)).toBe(200);

  const { auth, db, config } = authAndDb();
  const newKid = await rotateSigningKey(auth, db, jwtPluginOptions(config));
  expect(newKid).not.toBe(old.kid);

  // The very first token from the new key is accepted: the unknown kid triggers one reload.
  const fresh = await accessToken(user);
  expect(decodeProtectedHeader(fresh).kid).toBe(newKid);
  const before = (await sqlEndpoint.stats()).roundTrips;
  expect(await status(fresh)).toBe(200);
  expect((await sqlEndpoint.stats()).roundTrips - before).toBe(1);

  // Both keys are published while the old one is in its grace period.
  const published = async () =>
    ((await (await call("/api/auth/jwks")).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  expect(await published()).toEqual(expect.arrayContaining([old.kid, newKid]));
  expect(await status(old.token)).toBe(200);

  // After the grace period the old key verifies nothing, and is no longer published.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + (SIGNING_KEY_GRACE_PERIOD_SECONDS + 60) * 1000);
  expect(await status(old.token)).toBe(401);
  expect(await published()).not.toContain(old.kid);
  const { token: newLongLived } = await longLivedTokenFromCurrentKey();
  expect(await status(newLongLived)).toBe(200);
});
