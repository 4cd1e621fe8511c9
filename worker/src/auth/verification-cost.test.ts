// What verifying access tokens costs in database round trips: nothing once the keys are cached, and
// only a bounded few however much garbage arrives; and a refused sign-in costs the same whether the
// e-mail is known or not. (Runs in the exclusive project: it counts every
// round trip the SQL endpoint serves, so no other test file may share it.)
import { env } from "cloudflare:workers";
import { resolveSigningKey } from "better-auth/plugins/jwt";
import { SignJWT } from "jose";
import { beforeAll, expect, test, vi } from "vitest";
import {
  BASE,
  bearer,
  call,
  freshIp,
  signedInUser,
  sqlEndpoint,
  type TestUser,
  uniqueEmail,
} from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { createAuth, jwtPluginOptions } from "./better-auth.ts";

let user: TestUser & { token: string };
let ourKey: CryptoKey;

beforeAll(async () => {
  user = await signedInUser();
  const config = getConfig(env);
  const context = await createAuth(config, await createDb(config)).$context;
  ourKey = (await resolveSigningKey({ context } as never, jwtPluginOptions(config)))!.privateKey as CryptoKey;
  // Warm this isolate's key cache, as any isolate that has served a request has.
  expect((await call("/api/me", { headers: bearer(user.token) })).status).toBe(200);
});

function tokenWithKid(kid: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: user.id, iat: now, exp: now + 60 })
    .setProtectedHeader({ alg: "EdDSA", kid })
    .setIssuer(TEST_BINDINGS.PUBLIC_BASE_URL)
    .setAudience(TEST_BINDINGS.PUBLIC_BASE_URL)
    .sign(ourKey);
}

async function roundTripsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = (await sqlEndpoint.stats()).roundTrips;
  await work();
  return (await sqlEndpoint.stats()).roundTrips - before;
}

test("valid tokens cost no database round trip", async () => {
  const trips = await roundTripsDuring(async () => {
    for (let i = 0; i < 10; i++) expect((await call("/api/me", { headers: bearer(user.token) })).status).toBe(200);
  });
  expect(trips).toBe(0);
});

test("malformed kids never reach the database", async () => {
  const trips = await roundTripsDuring(async () => {
    for (const kid of ["../x", "' OR 1=1 --", "k".repeat(100), "a b", "%00"]) {
      expect((await call("/api/me", { headers: bearer(await tokenWithKid(kid)) })).status).toBe(401);
    }
  });
  expect(trips).toBe(0);
});

test("a flood of made-up kids costs at most the reload bucket (3 queries)", async () => {
  const trips = await roundTripsDuring(() =>
    Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await call("/api/me", { headers: bearer(await tokenWithKid(crypto.randomUUID())) });
        expect(res.status).toBe(401);
      }),
    ),
  );
  expect(trips).toBeGreaterThanOrEqual(1);
  expect(trips).toBeLessThanOrEqual(3);
});

test("the same unknown kid again is answered from memory", async () => {
  const kid = "NoSuchKeyId0123456789abcdefghijk";
  // Let the reload bucket refill after the flood above, so the first sighting does look it up.
  await new Promise((resolve) => setTimeout(resolve, 3_100));
  const token = await tokenWithKid(kid);
  expect(await roundTripsDuring(() => call("/api/me", { headers: bearer(token) }))).toBe(1);
  const trips = await roundTripsDuring(async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call("/api/me", { headers: bearer(token) })).status).toBe(401);
    }
  });
  expect(trips).toBe(0);
});

test("under a steady trickle of made-up kids the reload budget still refills, one per second", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    // Well past the earlier floods, so the bucket starts full.
    const start = Date.now() + 60_000;
    let trips = 0;
    for (let i = 0; i < 10; i++) {
      vi.setSystemTime(start + i * 500);
      const token = await tokenWithKid(`trickle${crypto.randomUUID().replaceAll("-", "")}`);
      trips += await roundTripsDuring(() => call("/api/me", { headers: bearer(token) }));
    }
    // 3 from the full bucket, then one per second of the 4.5 s: a lost refill would stop at 3.
    expect(trips).toBeGreaterThanOrEqual(6);
    expect(trips).toBeLessThanOrEqual(8);
  } finally {
    vi.useRealTimers();
  }
});

test("a sign-in with an unknown e-mail costs the same round trips as one with a wrong password", async () => {
  const signIn = (email: string) =>
    call("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ email, password: `${user.password}-wrong` }),
    });
  const statuses: number[] = [];
  const wrongPassword = await roundTripsDuring(async () => statuses.push((await signIn(user.email)).status));
  const unknownEmail = await roundTripsDuring(async () => statuses.push((await signIn(uniqueEmail())).status));
  expect(statuses).toEqual([401, 401]);
  expect(unknownEmail).toBe(wrongPassword);
});
