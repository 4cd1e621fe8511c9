// createDb(config, bindings): the request's drizzle database. One schema and one set of queries, over
// one of two drivers:
// - a HYPERDRIVE binding: node-postgres over TCP through Hyperdrive, which keeps warm, pooled
//   connections to Postgres. Real transactions. One connection per request, opened on the first
//   query; closeDb ends it when the request is done.
// - otherwise: the Neon serverless driver over HTTP, one stateless round trip per query, nothing to
//   close. No interactive transactions; several writes become atomic only as one batch.
import { is } from "drizzle-orm";
import { NeonHttpDatabase } from "drizzle-orm/neon-http";
import { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Config } from "../config.ts";
import { createNeonHttpDb } from "./neon-http.ts";
import { createNodePgDb, type RequestClient } from "./node-postgres.ts";
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

/** The TCP clients of the databases made here, so closeDb can end them. Weak: they die with their request. */
const tcpClients = new WeakMap<Db, RequestClient>();

export function createDb(config: Config, bindings: DbBindings = {}): Db {
  if (!bindings.HYPERDRIVE) return createNeonHttpDb(config);
  const db = createNodePgDb(bindings.HYPERDRIVE.connectionString, config.dbTimeoutMs);
  tcpClients.set(db, db.$client);
  return db;
}

/** Ends `db`'s connection, if it has one (Hyperdrive mode). Never rejects. */
export function closeDb(db: Db): Promise<void> {
  return tcpClients.get(db)?.close() ?? Promise.resolve();
}

/** Which driver `db` runs on; "other" for a database made elsewhere (the tooling's PGlite). */
export function dbDriver(db: Db): DbDriver | "other" {
  if (is(db, NeonHttpDatabase)) return "neon-http";
  if (is(db, NodePgDatabase)) return "node-postgres";
  return "other";
}

/** Whether `db` can hold a transaction open across statements: every driver but Neon's HTTP one. */
export function hasInteractiveTransactions(db: Db): boolean {
  return !is(db, NeonHttpDatabase);
}
