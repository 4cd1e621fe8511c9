// Drizzle over node-postgres on one TCP connection per request: the driver for Hyperdrive, which
// speaks the Postgres wire protocol and keeps the pooled connections to the database itself.
//
// The connection opens on the request's first query, not before, so a request that never reaches
// the database (a refused token, a preflight) costs no connect. Connecting and each query are bounded
// by DB_TIMEOUT_MS. A failure below SQL (refused, reset, timed out) surfaces as
// DatabaseConnectionError, which db/errors.ts maps to 503 like the Neon driver's network failures;
// errors Postgres itself reports keep their SQLSTATE.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { deferringInserts } from "./deferred-inserts.ts";
import { DatabaseConnectionError, recognizeServerErrors } from "./errors.ts";
import * as schema from "./schema/index.ts";

recognizeServerErrors(pg.DatabaseError, "DatabaseError");

/** pg's own message when `query_timeout` expires. */
const QUERY_READ_TIMEOUT = "Query read timeout";

/** A pg Client that connects lazily and reports connection failures as DatabaseConnectionError. */
export class RequestClient extends pg.Client {
  readonly #timeoutMs: number;
  #connecting: Promise<void> | undefined;
  /** The connection failed, dropped or timed out: nothing more can be sent on it. */
  #lost = false;
  /** It never opened: there is nothing to close. */
  #neverOpened = false;

  constructor(connectionString: string, timeoutMs: number) {
    super({ connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    this.#timeoutMs = timeoutMs;
    // pg also emits a dropped connection as 'error'; with no listener the event would be thrown out
    // of the request. The query it breaks fails by itself, below.
    this.on("error", () => {
      this.#lost = true;
    });
  }

  // drizzle calls only the promise form, query(config, values); pg's own overloads are typed `any`.
  // biome-ignore lint/suspicious/noExplicitAny: overrides pg's any-typed overloads as they are
  override query(config: any, values?: any): any {
    return this.#connect().then(() =>
      super.query(config, values).catch((error: unknown) => {
        throw this.#queryFailure(error);
      }),
    );
  }

  /** Ends the connection if one was opened; never rejects, as the response has already gone. */
  async close(): Promise<void> {
    if (!this.#connecting || this.#neverOpened) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#timeoutMs);
    });
    // A socket that already failed may never report its end; don't let the request linger on it.
    await Promise.race([this.end().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  #connect(): Promise<void> {
    if (this.#connecting) return this.#connecting;
    const started = Date.now();
    this.#connecting = this.connect().then(
      () => undefined,
      (error: unknown) => {
        this.#lost = true;
        this.#neverOpened = true;
        // Postgres answered, and refused (bad password, no such database, too many clients): its
        // SQLSTATE says what that means. Anything else never got as far as Postgres.
        if (error instanceof pg.DatabaseError) throw error;
        // pg reports its own connect timeout as "Connection terminated unexpectedly"; say what it was.
        const timedOut = Date.now() - started >= this.#timeoutMs;
        const message = timedOut
          ? `No answer from the database within ${this.#timeoutMs} ms`
          : "Could not connect to the database";
        throw new DatabaseConnectionError(message, { cause: error });
      },
    );
    return this.#connecting;
  }

  #queryFailure(error: unknown): unknown {
    if (error instanceof pg.DatabaseError) return error;
    if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) {
      // pg stops waiting but leaves the statement running and the connection busy with it; drop the
      // connection so nothing queues behind it (the server cancels the statement when it notices).
      this.#lost = true;
      this.end().catch(() => undefined);
      return new DatabaseConnectionError(`No answer from the database within ${this.#timeoutMs} ms`, { cause: error });
    }
    // Otherwise, an error that is no Postgres answer on a live connection is a bug (e.g. a value pg
    // cannot serialize), not an outage.
    return this.#lost ? new DatabaseConnectionError("Lost the database connection", { cause: error }) : error;
  }
}

export function createNodePgDb(
  connectionString: string,
  timeoutMs: number,
): NodePgDatabase<typeof schema> & { $client: RequestClient } {
  const db = drizzle({ client: new RequestClient(connectionString, timeoutMs), schema });
  const realTransaction = db.transaction.bind(db);
  // A real transaction, with the flow's inserts written at its end (deferred-inserts.ts).
  db.transaction = deferringInserts<typeof db>(
    (work) => realTransaction((tx) => work(tx as unknown as typeof db)),
    async (_tx, inserts) => {
      for (const insert of inserts) await insert;
    },
  );
  return db;
}
