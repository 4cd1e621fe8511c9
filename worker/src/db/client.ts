// createDb(config, bindings): the request's drizzle database. One schema and one set of queries, over
// one of two drivers:
// - a HYPERDRIVE binding: node-postgres over TCP through Hyperdrive, which keeps warm, pooled
//   connections to Postgres. Real transactions. One connection per request, opened on the first
//   query; closeDb ends it when the request is done.
// - otherwise: the Neon serverless driver over HTTP, one stateless round trip per query, nothing to
//   close. No interactive transactions: a transaction is one batch of inserts (neon-http.ts).
//
// The driver is imported by the first createDb call (the isolate's first /api request: appContext),
// not when the Worker starts: loading the Neon driver alone cost more startup CPU than the rest of
// the Worker, and a Worker uses one of the two drivers, never both.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Config } from "../config.ts";
import type { RequestClient } from "./node-postgres.ts";
import type * as schema from "./schema/index.ts";

/** What every driver's database is: drizzle's Postgres database over this schema. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbDriver = "neon-http" | "node-postgres";

/**
 * The bindings that choose the driver. A Hyperdrive binding has `connectionString`; in tests any
 * object with one stands in for it.
 */
export interface DbBindings {
  HYPERDRIVE?: { connectionString: string } | undefined;
}

/** What createDb made: each database's driver and, over TCP, its client (for closeDb). */
const made = new WeakMap<Db, { driver: DbDriver; tcpClient?: RequestClient }>();

export async function createDb(config: Config, bindings: DbBindings = {}): Promise<Db> {
  if (!bindings.HYPERDRIVE) {
    const { createNeonHttpDb } = await import("./neon-http.ts");
    const db = createNeonHttpDb(config);
    made.set(db, { driver: "neon-http" });
    return db;
  }
  const { createNodePgDb } = await import("./node-postgres.ts");
  const db = createNodePgDb(bindings.HYPERDRIVE.connectionString, config.dbTimeoutMs);
  made.set(db, { driver: "node-postgres", tcpClient: db.$client });
  return db;
}

/** Ends `db`'s connection, if it has one (Hyperdrive mode). Never rejects. */
export function closeDb(db: Db): Promise<void> {
  return made.get(db)?.tcpClient?.close() ?? Promise.resolve();
}

/** Which driver `db` runs on; "other" for a database made elsewhere (the tooling's PGlite). */
export function dbDriver(db: Db): DbDriver | "other" {
  return made.get(db)?.driver ?? "other";
}
