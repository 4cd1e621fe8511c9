// Drizzle over the Neon serverless driver's HTTP transport: each query is one HTTPS round trip with
// no connection to hold, so the client costs no I/O to make and nothing to close. A timeout bounds
// every round trip so a stalled database turns into a prompt 503 rather than a hung request.
import { NeonDbError, neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { Config } from "../config.ts";
import { deferringInserts } from "./deferred-inserts.ts";
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
    const neonDb = db;
    // No transaction to hold open between round trips: the flow's inserts go out as one batch.
    db.transaction = deferringInserts<NeonDb>(
      (work) => work(neonDb),
      (target, inserts) => target.batch(inserts as unknown as [BatchItem, ...BatchItem[]]),
    );
    databases.set(config, db);
  }
  return db;
}
