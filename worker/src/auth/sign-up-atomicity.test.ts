// Sign-up writes the user, its credential account and its session atomically: if the database fails
// on the account, no user is left behind to lock the e-mail out, and signing up again works.
// (Exclusive project: it injects faults into the shared SQL endpoint.)
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { BASE, call, freshIp, STRONG_PASSWORD, sqlEndpoint, uniqueEmail } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { user } from "../db/schema/index.ts";

afterEach(async () => {
  await sqlEndpoint.control({ fault: null, match: null });
});

function signUp(email: string) {
  return call("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ name: "Atomic", email, password: STRONG_PASSWORD }),
  });
}

async function usersWithEmail(email: string): Promise<number> {
  return (await (await createDb(getConfig(env))).select().from(user).where(eq(user.email, email))).length;
}

test("a failure on the account insert leaves no user, and the e-mail stays free", async () => {
  const email = uniqueEmail("atomic");
  await sqlEndpoint.control({ fault: "fail", match: 'insert into "account"' });
  const failed = await signUp(email);
  expect(failed.status).toBe(503);
  expect(await failed.json()).toMatchObject({ error_type: "service_unavailable" });

  await sqlEndpoint.control({ fault: null, match: null });
  expect(await usersWithEmail(email)).toBe(0);
  expect((await signUp(email)).status).toBe(200);
  expect(await usersWithEmail(email)).toBe(1);
});

test("the user, its account and its session are written in one round trip", async () => {
  const before = (await sqlEndpoint.stats()).roundTrips;
  expect((await signUp(uniqueEmail("trips"))).status).toBe(200);
  // find the e-mail, then write user + account + session (one batch)
  expect((await sqlEndpoint.stats()).roundTrips - before).toBe(2);
});
