// Makes sign-up's two writes, the user row and its credential account, atomic on either driver.
//
// Better Auth inserts the user, then the account, as separate statements. A failure between the two
// would leave a user without a password who can never sign up again with that e-mail. This wrapper
// around the drizzle database holds back the user insert (Better Auth already chose the id and every
// value, so the row can be answered as written) and writes it together with the account:
// - Neon HTTP (no interactive transactions): one batch, which the database runs as one transaction,
//   in one round trip;
// - node-postgres (Hyperdrive): Better Auth runs the whole sign-up in a real transaction there
//   (better-auth.ts), and the two inserts go out inside it; called outside one, they get their own.
// Either way, both rows or neither. A second sign-up racing for the same e-mail fails on the unique
// e-mail at that write, which the Worker answers 409, in both modes alike. (Left to Better Auth's own
// user insert, the violation would become its generic 422 "Failed to create user".)
import { is } from "drizzle-orm";
import type { NeonHttpDatabase } from "drizzle-orm/neon-http";
import { PgTransaction } from "drizzle-orm/pg-core";
import { type Db, dbDriver } from "../db/client.ts";
import type * as schema from "../db/schema/index.ts";
import { account, user } from "../db/schema/index.ts";

type Row = Record<string, unknown>;
type UserInsert = typeof user.$inferInsert;
type AccountInsert = typeof account.$inferInsert;

async function insertUserAndAccount(db: Db, userValues: UserInsert, accountValues: AccountInsert): Promise<Row[]> {
  if (dbDriver(db) === "neon-http") {
    const neonDb = db as unknown as NeonHttpDatabase<typeof schema>;
    const [, accounts] = await neonDb.batch([
      neonDb.insert(user).values(userValues),
      neonDb.insert(account).values(accountValues).returning(),
    ]);
    return accounts;
  }
  const write = async (tx: Db) => {
    await tx.insert(user).values(userValues);
    return tx.insert(account).values(accountValues).returning();
  };
  // Already inside Better Auth's transaction: a savepoint would only add two round trips.
  return is(db, PgTransaction) ? write(db) : db.transaction(write);
}

export function withAtomicSignUp<T extends Db>(db: T): T {
  let heldUser: Row | undefined;

  const insert = (table: unknown) => {
    if (table === user && !heldUser) {
      return {
        values: (values: Row) => ({
          returning: async (): Promise<Row[]> => {
            heldUser = values;
            return [{ image: null, ...values }];
          },
        }),
      };
    }
    if (table === account && heldUser) {
      const userValues = heldUser;
      heldUser = undefined;
      return {
        values: (values: Row) => ({
          returning: (): Promise<Row[]> => insertUserAndAccount(db, userValues as UserInsert, values as AccountInsert),
        }),
      };
    }
    assertNothingHeld();
    return db.insert(table as typeof user);
  };

  // Better Auth's adapter runs its transactions on the `tx` it is handed; wrap that one too, so the
  // sign-up inside it is held and written the same way.
  const transaction: Db["transaction"] = (run, config) => {
    assertNothingHeld();
    return db.transaction((tx) => run(withAtomicSignUp(tx)), config);
  };

  function assertNothingHeld(): void {
    // Only sign-up creates users here, and it writes the account next; anything else in between
    // would see a user that does not exist yet.
    if (heldUser) throw new Error("withAtomicSignUp: a user insert is held, but the next write is not its account");
  }

  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === "insert") return insert;
      if (property === "transaction") return transaction;
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        assertNothingHeld();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
