// Makes sign-up's two writes, the user row and its credential account, one atomic round trip.
//
// Better Auth inserts the user, then the account, as separate statements (the Neon HTTP driver has
// no interactive transactions, so its adapter runs with `transaction: false`). A failure between the
// two would leave a user without a password who can never sign up again with that e-mail. This
// wrapper around the drizzle database holds back the user insert (Better Auth already chose the id
// and every value, so the row can be answered as written) and sends it with the account insert as
// one batch, which the database runs in a single transaction: both rows or neither. A second
// sign-up racing for the same e-mail fails that batch on the unique e-mail and writes nothing.
import type { Db } from "../db/client.ts";
import { account, user } from "../db/schema/index.ts";

type Row = Record<string, unknown>;

export function withAtomicSignUp(db: Db): Db {
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
          returning: async (): Promise<Row[]> => {
            const [, accounts] = await db.batch([
              db.insert(user).values(userValues as typeof user.$inferInsert),
              db.insert(account).values(values as typeof account.$inferInsert).returning(),
            ]);
            return accounts;
          },
        }),
      };
    }
    assertNothingHeld();
    return db.insert(table as typeof user);
  };

  function assertNothingHeld(): void {
    // Only sign-up creates users here, and it writes the account next; anything else in between
    // would see a user that does not exist yet.
    if (heldUser) throw new Error("withAtomicSignUp: a user insert is held, but the next write is not its account");
  }

  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === "insert") return insert;
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        assertNothingHeld();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
