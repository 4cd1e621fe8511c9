// PostgreSQL backend through node-postgres: a connection pool like Neon's, values kept in text format.

import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import {
  type Backend,
  beginStatement,
  hasMigrationJournal,
  PostgresError,
  type RawResult,
  type Statement,
} from "./backend.ts";

/** Arbitrary, fixed key of the advisory lock that serializes migrations. */
const MIGRATION_LOCK_KEY = 7_426_001;

// The Neon driver parses values itself from Postgres text format, so pg must not parse them first.
const keepText = { getTypeParser: () => (value: string) => value };

export async function openPostgres(databaseUrl: string): Promise<Backend> {
  const pool = new pg.Pool({ connectionString: databaseUrl, types: keepText, application_name: "sql-endpoint" });
  // An idle client dropped by the server (restart, idle timeout) must not take the dev server down.
  pool.on("error", (error) => console.error(`[sql-endpoint] idle PostgreSQL connection failed: ${error.message}`));

  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw new Error(`cannot reach PostgreSQL at ${redact(databaseUrl)}: ${(error as Error).message}`);
  }

  async function exec(client: pg.PoolClient, statement: Statement): Promise<RawResult> {
    // queryMode "extended" makes even a parameterless query a single prepared statement, as Neon runs
    // it: a string holding two statements fails with 42601 instead of quietly running both.
    const config = {
      text: statement.query,
      values: statement.params,
      rowMode: "array" as const,
      queryMode: "extended",
    };
    try {
      const result = await client.query<(string | null)[]>(config);
      return {
        fields: result.fields.map((f) => ({
          name: f.name,
          tableID: f.tableID,
          columnID: f.columnID,
          dataTypeID: f.dataTypeID,
          dataTypeSize: f.dataTypeSize,
          dataTypeModifier: f.dataTypeModifier,
        })),
        rows: result.rows,
        command: result.command ?? "",
        rowCount: result.rowCount,
      };
    } catch (error) {
      throw error instanceof pg.DatabaseError ? PostgresError.fromDatabaseError(error) : error;
    }
  }

  // A client that failed below the SQL level is destroyed rather than returned to the pool.
  const brokenBy = (error: unknown) => (error instanceof PostgresError ? undefined : (error as Error));

  return {
    async run(statement) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        const result = await exec(client, statement);
        // Neon discards a connection left inside a transaction rather than reuse it; so do we.
        if (result.command === "BEGIN" || result.command === "START") broken = new Error("left in a transaction");
        return result;
      } catch (error) {
        broken = brokenBy(error);
        throw error;
      } finally {
        client.release(broken);
      }
    },

    async runBatch(statements, tx) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await exec(client, { query: beginStatement(tx), params: [] });
        const results: RawResult[] = [];
        for (const statement of statements) results.push(await exec(client, statement));
        await exec(client, { query: "COMMIT", params: [] });
        return results;
      } catch (error) {
        broken = brokenBy(error);
        // A failed ROLLBACK would hide the error that caused it; the client is then destroyed instead.
        if (!broken) await client.query("ROLLBACK").catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.release(broken);
      }
    },

    async migrate(migrationsFolder) {
      if (!hasMigrationJournal(migrationsFolder)) return false;
      // A separate client with pg's default parsers: drizzle's migrator reads its own bookkeeping rows.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        // Two endpoints starting at once on one database (parallel test projects) must not both
        // apply the same migration: the second waits here, then finds nothing left to do.
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        await migrate(drizzle({ client }), { migrationsFolder });
      } finally {
        await client.end();
      }
      return true;
    },

    close: () => pool.end(),
  };
}

/** Connection strings carry passwords; error messages may end up in logs. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable connection string)";
  }
}
