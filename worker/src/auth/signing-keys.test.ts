// Signing keys at rest: the verifier never reads private keys, and provisioning the first key ahead
// of traffic is idempotent (running it again, as every `npm start` does, adds nothing).
import { env } from "cloudflare:workers";
import { count } from "drizzle-orm";
import { expect, test } from "vitest";
import { ensureSigningKey } from "../../../dev/signing-key.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { publicKeys } from "../db/queries/signing-keys.ts";
import { jwks } from "../db/schema/index.ts";

test("the verifier's key query selects public keys only", async () => {
  const { sql } = publicKeys(await createDb(getConfig(env))).toSQL();
  expect(sql).toContain('"public_key"');
  expect(sql).not.toContain("private_key");
});

test("provisioning the first signing key ahead of traffic is idempotent", async () => {
  const config = getConfig(env);
  const db = await createDb(config);
  const [{ value: before } = { value: 0 }] = await db.select({ value: count() }).from(jwks);
  expect(before).toBeGreaterThan(0);
  const first = await ensureSigningKey(config);
  const second = await ensureSigningKey(config);
  expect(second).toEqual(first);
  const [{ value: after } = { value: 0 }] = await db.select({ value: count() }).from(jwks);
  expect(after).toBe(before);
});
