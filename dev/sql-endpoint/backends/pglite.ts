// Embedded Postgres (PGlite) backend: one in-process session that every request holds exclusively.
import { mkdirSync } from "node:fs";
import { PGlite, protocol } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import {
  type Backend,
  beginStatement,
  type Field,
  hasMigrationJournal,
  PostgresError,
  parseCommandTag,
  type RawResult,
  type Statement,
} from "./backend.ts";

type Outcome = RawResult & { transactionStatus: string };

/** Opens PGlite in `dataDir` (created if missing), or in memory when no directory is given. */
export async function openPglite(dataDir?: string): Promise<Backend> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);

  // PGlite's query() parses values into JS types and rejects a bytea parameter sent as text, which is
  // how the Neon driver sends it. Speaking the extended protocol directly keeps every value in text
  // format and yields the full RowDescription and CommandComplete tag that Neon reports.
  async function exec(statement: Statement): Promise<Outcome> {
    const { serialize } = protocol;
    const message = concat([
      serialize.parse({ text: statement.query }),
      serialize.bind({ values: statement.params }),
      serialize.describe({ type: "P" }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    const { messages } = await db.execProtocol(message, { throwOnError: false });

    let fields: Field[] = [];
    const rows: (string | null)[][] = [];
    let tag = "";
    let transactionStatus = "I";
    for (const m of messages) {
      if (m instanceof protocol.messages.DatabaseError) throw PostgresError.fromDatabaseError(m);
      if (m instanceof protocol.messages.RowDescriptionMessage) fields = m.fields.map(toField);
      else if (m instanceof protocol.messages.DataRowMessage) rows.push(m.fields);
      else if (m instanceof protocol.messages.CommandCompleteMessage) tag = m.text;
      else if (m instanceof protocol.messages.ReadyForQueryMessage) transactionStatus = m.status;
    }
    return { fields, rows, ...parseCommandTag(tag), transactionStatus };
  }

  // A failed ROLLBACK would hide the error that caused it; the session is reset by the next BEGIN anyway.
  const rollback = () => exec({ query: "ROLLBACK", params: [] }).catch(() => undefined);

  return {
    // runExclusive holds PGlite's query lock for the whole request, so a batch's transaction never
    // interleaves with another request's statements on the single shared session.
    run: (statement) =>
      db.runExclusive(async () => {
        const { transactionStatus, ...result } = await exec(statement);
        // Neon discards a pooled connection left inside a transaction; here the session is shared,
        // so a stray BEGIN must not capture every later request.
        if (transactionStatus !== "I") await rollback();
        return result;
      }),

    runBatch: (statements, tx) =>
      db.runExclusive(async () => {
        await exec({ query: beginStatement(tx), params: [] });
        const results: RawResult[] = [];
        try {
          for (const statement of statements) {
            const { transactionStatus: _, ...result } = await exec(statement);
            results.push(result);
          }
          await exec({ query: "COMMIT", params: [] });
        } catch (error) {
          await rollback();
          throw error;
        }
        return results;
      }),

    async migrate(migrationsFolder) {
      if (!hasMigrationJournal(migrationsFolder)) return false;
      await migrate(drizzle({ client: db }), { migrationsFolder });
      return true;
    },

    close: () => db.close(),
  };
}

function toField(f: Field): Field {
  return {
    name: f.name,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeID: f.dataTypeID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
