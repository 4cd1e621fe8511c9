// transaction() as Better Auth's multi-write flows use it, the same on both drivers: the flow's
// inserts are queued, answered at once with the row as written (Better Auth chooses every value it
// reads back, ids included), and written together when the callback returns: all or none. Any
// other statement runs at once, and is refused after an insert is queued, as it could not see it:
// a flow that needs that fails loudly here (db/neon-http-transactions.test.ts).
//
// Over Neon's HTTP API, which cannot hold a transaction open between round trips, the inserts go
// out as one batch (one round trip). Over TCP the whole flow runs in a real transaction and the
// inserts are written at its end. Either way a failed insert (an e-mail taken by a racing sign-up,
// an unreachable database) surfaces from the transaction as the database's own error, which the
// Worker answers as for any query (409, 503), not inside Better Auth's insert call, which would
// turn it into a generic 422.
import { getTableColumns, type Table } from "drizzle-orm";
import type { Db } from "./client.ts";

type Insert = PromiseLike<unknown>;

/** The database's members that run a statement (or start one). */
const RUNS_A_STATEMENT = new Set(["select", "selectDistinct", "update", "delete", "execute", "query", "$count"]);

/**
 * A transaction() for `db`: `open` runs the work in the driver's transaction (or none), and
 * `write` sends the queued inserts, which were built on the database `open` handed over.
 */
export function deferringInserts<D extends Db>(
  open: <T>(work: (target: D) => Promise<T>) => Promise<T>,
  write: (target: D, inserts: Insert[]) => Promise<unknown>,
): D["transaction"] {
  const transaction = (run: (tx: never) => Promise<unknown>) =>
    open(async (target) => {
      const queued: Insert[] = [];
      const queuedInsert = (table: Table) => ({
        values(values: Record<string, unknown>) {
          queued.push(target.insert(table as never).values(values as never));
          const row = Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, values[key] ?? null]));
          return { returning: async () => [row] };
        },
      });
      const tx = new Proxy(target, {
        get(object, property, receiver) {
          if (property === "insert") return queuedInsert;
          if (queued.length && typeof property === "string" && RUNS_A_STATEMENT.has(property)) {
            throw new Error(`transaction: ${property}() after an insert; only inserts are deferred`);
          }
          return Reflect.get(object, property, receiver);
        },
      });
      const result = await run(tx as never);
      if (queued.length) await write(target, queued);
      return result;
    });
  return transaction as D["transaction"];
}
