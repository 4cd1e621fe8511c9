// Drizzle over the Neon serverless driver's HTTP transport: each query is one HTTPS round trip with
// no connection to hold, so the client costs no I/O to make and nothing to close. A timeout bounds
// every round trip so a stalled database turns into a prompt 503 rather than a hung request.
import { NeonDbError, neon, neonConfig } from "@neondatabase/serverless";
import { getTableColumns, type Table } from "drizzle-orm";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { Config } from "../config.ts";
import { recognizeServerErrors } from "./errors.ts";
import * as schema from "./schema/index.ts";

recognizeServerErrors(NeonDbError, "NeonDbError");

const neonDefaultEndpoint = neonConfig.fetchEndpoint;
let roundTripTimeoutMs = 5000;

// neonConfig is module-global; every request sets the same values from the same config.
neonConfig.fetchFunction = (url: string, init: RequestInit) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(roundTripTimeoutMs) });

type NeonDb = NeonHttpDatabase<typeof schema>;
type BatchItem = Parameters<NeonDb["batch"]>[0][number];

/** One database per config (per isolate, in the Worker): it holds no connection or request state. */
const databases = new WeakMap<Config, NeonDb>();

export function createNeonHttpDb(config: Config): NeonDb {
  neonConfig.fetchEndpoint = config.neonHttpEndpoint ?? neonDefaultEndpoint;
  roundTripTimeoutMs = config.dbTimeoutMs;
  let db = databases.get(config);
  if (!db) {
    db = drizzle({ client: neon(config.databaseUrl), schema });
    db.transaction = insertsInOneBatch(db);
    databases.set(config, db);
  }
  return db;
}

/**
 * transaction() for a driver that cannot hold one open: Neon's HTTP API runs a batch of statements
 * as one transaction, but nothing between round trips. Better Auth runs its multi-write flows in
 * transaction() (sign-up writes a user, its account and a session); here the inserts of one are
 * queued, answered at once with the row as written (Better Auth chooses every value it reads back,
 * ids included), and sent together as one batch when the callback returns: all of them or none,
 * in one round trip. Any other statement runs at once, and is refused after an insert is queued,
 * as it could not see it: a flow that needs that fails loudly here (sign-up-atomicity.test.ts).
 */
function insertsInOneBatch(db: NeonDb): NeonDb["transaction"] {
  return async (run) => {
    const queued: BatchItem[] = [];
    const tx = new Proxy(db, {
      get(target, property, receiver) {
        if (property === "insert") return queuedInsert;
        if (queued.length && typeof property === "string" && RUNS_A_STATEMENT.has(property)) {
          throw new Error(`neon-http transaction: ${property}() after an insert; only inserts are deferred`);
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const queuedInsert = (table: Table) => ({
      values(values: Record<string, unknown>) {
        const statement = db.insert(table).values(values as never);
        queued.push(statement);
        const row = Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, values[key] ?? null]));
        return { returning: async () => [row] };
      },
    });
    const result = await run(tx as unknown as Parameters<typeof run>[0]);
    if (queued.length) await db.batch(queued as [BatchItem, ...BatchItem[]]);
    return result;
  };
}

/** The database's members that run a statement (or start one). */
const RUNS_A_STATEMENT = new Set(["select", "selectDistinct", "update", "delete", "execute", "query", "$count"]);
