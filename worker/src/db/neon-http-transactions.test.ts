// transaction() as Better Auth runs it (db/deferred-inserts.ts), over Neon's HTTP API: its inserts
// go out together as one batch, all or none, and a statement that would need to see a queued insert
// is refused loudly instead of running without it.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { uniqueEmail } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb } from "./client.ts";
import { user } from "./schema/index.ts";

const db = await createDb(getConfig(env));

const newUser = (email: string) => ({
  id: crypto.randomUUID(),
  name: "Batch",
  email,
  emailVerified: false,
  createdAt: new Date(),
  updatedAt: new Date(),
});

const usersWith = async (email: string) => (await db.select().from(user).where(eq(user.email, email))).length;

test("inserts answer at once with the row as written, and land together", async () => {
  const [a, b] = [uniqueEmail("batch"), uniqueEmail("batch")];
  const rows = await db.transaction(async (tx) => {
    const [first] = await tx.insert(user).values(newUser(a)).returning();
    const [second] = await tx.insert(user).values(newUser(b)).returning();
    expect(await usersWith(a)).toBe(0);
    return [first, second];
  });
  expect(rows.map((row) => row?.email)).toEqual([a, b]);
  expect(rows[0]?.image).toBeNull();
  expect([await usersWith(a), await usersWith(b)]).toEqual([1, 1]);
});

test("one failing insert writes none of them", async () => {
  const [email, other] = [uniqueEmail("batch"), uniqueEmail("batch")];
  const duplicate = newUser(email);
  await expect(
    db.transaction(async (tx) => {
      await tx.insert(user).values(newUser(other)).returning();
      await tx.insert(user).values(duplicate).returning();
      await tx
        .insert(user)
        .values({ ...duplicate, id: crypto.randomUUID() })
        .returning();
    }),
  ).rejects.toThrow();
  expect([await usersWith(email), await usersWith(other)]).toEqual([0, 0]);
});

test("a read after a queued insert is refused, and nothing is written", async () => {
  const email = uniqueEmail("batch");
  await expect(
    db.transaction(async (tx) => {
      await tx.insert(user).values(newUser(email)).returning();
      await tx.select().from(user).where(eq(user.email, email));
    }),
  ).rejects.toThrow(/only inserts are deferred/);
  expect(await usersWith(email)).toBe(0);
});
