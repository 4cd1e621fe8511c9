// Sign-up is atomic on both drivers: the user row, its credential account and its session are one
// batch over Neon's HTTP API and one transaction over TCP, so a failure on any of them leaves nothing
// behind and the e-mail free.
//
// The failures come from a trigger that refuses inserts for e-mails with this file's prefixes, with
// SQLSTATE 40001 (a transient failure, answered 503), so no other test is affected; the SQL endpoint's
// fault injection is neither needed nor, over TCP, able to see these statements.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BASE, call, freshIp, STRONG_PASSWORD, uniqueEmail } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb } from "./client.ts";
import { account, user } from "./schema/index.ts";

// The tests' own view of the database, beside whatever the Worker uses.
const db = await createDb(getConfig(env));

const TRIGGER_FUNCTION = "edge_todo_test_refuse_insert";
const triggerName = (table: string) => `edge_todo_test_refuse_${table}_insert`;

beforeAll(async () => {
  await db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION ${TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM "user" WHERE id = NEW.user_id AND email LIKE 'refuse-' || TG_TABLE_NAME || '-%') THEN
          RAISE EXCEPTION 'refused for a test' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$`),
  );
});

afterAll(async () => {
  for (const table of ["account", "session"])
    await db.execute(sql.raw(`DROP TRIGGER IF EXISTS ${triggerName(table)} ON "${table}"`));
  await db.execute(sql.raw(`DROP FUNCTION IF EXISTS ${TRIGGER_FUNCTION}()`));
});

async function refuseInsertsInto(table: "account" | "session", on: boolean): Promise<void> {
  await db.execute(sql.raw(`DROP TRIGGER IF EXISTS ${triggerName(table)} ON "${table}"`));
  if (on) {
    await db.execute(
      sql.raw(
        `CREATE TRIGGER ${triggerName(table)} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${TRIGGER_FUNCTION}()`,
      ),
    );
  }
}

function signUp(email: string) {
  return call("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ name: "Atomic", email, password: STRONG_PASSWORD }),
  });
}

async function accountsOf(email: string): Promise<{ users: number; accounts: number }> {
  const rows = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
  const accounts = rows[0] ? await db.select().from(account).where(eq(account.userId, rows[0].id)) : [];
  return { users: rows.length, accounts: accounts.length };
}

test("a failure on the account insert leaves no user, and the e-mail stays free", async () => {
  const email = uniqueEmail("refuse-account");
  await refuseInsertsInto("account", true);
  try {
    const failed = await signUp(email);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error_type: "service_unavailable" });
    expect(await accountsOf(email)).toEqual({ users: 0, accounts: 0 });
  } finally {
    await refuseInsertsInto("account", false);
  }
  expect((await signUp(email)).status).toBe(200);
  expect(await accountsOf(email)).toEqual({ users: 1, accounts: 1 });
});

test("a failure on the session insert rolls back the user and the account too", async () => {
  const email = uniqueEmail("refuse-session");
  await refuseInsertsInto("session", true);
  try {
    const failed = await signUp(email);
    expect(failed.status).toBe(503);
    expect(await accountsOf(email)).toEqual({ users: 0, accounts: 0 });
  } finally {
    await refuseInsertsInto("session", false);
  }
  expect((await signUp(email)).status).toBe(200);
  expect(await accountsOf(email)).toEqual({ users: 1, accounts: 1 });
});
