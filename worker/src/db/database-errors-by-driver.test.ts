// Database errors mean the same on both drivers: what Postgres reports keeps its meaning by SQLSTATE
// (class 23 a conflict, class 22 an invalid value; 08, 53 and 57 classes, 40001 and 40P01 "retry
// later"; the rest a bug), whether it comes back through Neon's HTTP API or over TCP with
// node-postgres. Each test runs on this project's driver: the database the Worker itself uses
// (createDb with the Worker's bindings).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, inject, test } from "vitest";
import { getConfig } from "../config.ts";
import { toAppError } from "../errors.ts";
import { closeDb, createDb, type Db, dbDriver } from "./client.ts";
import { classifyDatabaseError, describeDatabaseError } from "./errors.ts";

const tcp = inject("hyperdrive") !== undefined;

/** What running `run` on `db` (by default a new one, closed after) throws. */
async function failure(run: (db: Db) => Promise<unknown>, db?: Db): Promise<unknown> {
  const target = db ?? (await createDb(getConfig(env), env));
  try {
    await run(target);
  } catch (error) {
    return error;
  } finally {
    if (!db) await closeDb(target);
  }
  throw new Error("expected the statement to fail");
}

const raise = (sqlState: string) => (db: Db) =>
  db.execute(sql.raw(`DO $$ BEGIN RAISE EXCEPTION 'raised for a test' USING ERRCODE = '${sqlState}'; END $$`));

test(`this project's driver is ${tcp ? "node-postgres" : "neon-http"}`, async () => {
  expect(dbDriver(await createDb(getConfig(env), env))).toBe(tcp ? "node-postgres" : "neon-http");
});

describe("SQLSTATEs", () => {
  test.each([
    ["23505", "conflict"],
    ["23503", "conflict"],
    ["23514", "conflict"],
    ["23502", "conflict"],
    ["22012", "invalid"],
    ["22021", "invalid"],
    ["22008", "invalid"],
    ["08006", "unavailable"],
    ["53300", "unavailable"],
    ["57P01", "unavailable"],
    ["40001", "unavailable"],
    ["40P01", "unavailable"],
    ["42P01", "other"],
  ])("%s is %s", async (sqlState, kind) => {
    const error = await failure(raise(sqlState));
    expect(classifyDatabaseError(error)).toBe(kind);
    expect(describeDatabaseError(error)).toContain(sqlState);
  });

  test("no constraint violation or data exception is answered as a 500, nor with any SQL", async () => {
    const answers = [];
    const logged: string[] = [];
    const original = console.warn;
    console.warn = (line: string) => logged.push(line);
    try {
      for (const [statement, status] of [
        [sql`select ${"a\u0000b"}::text`, 422],
        [sql`select '0000-01-01T00:00:00Z'::timestamptz`, 422],
        [sql`insert into todos (user_id, title, position) values (${"no-such-user"}, 'x', 1)`, 409],
        [sql`insert into todos (user_id, title, position) values (${"no-such-user"}, '', 1)`, 409],
      ] as const) {
        const error = await failure((db) => db.execute(statement));
        const answer = toAppError(error, "test").toBody();
        expect(answer.status_code, describeDatabaseError(error)).toBe(status);
        answers.push(answer.detail);
      }
    } finally {
      console.warn = original;
    }
    expect(answers.join(" ")).not.toMatch(/todos|insert|select|violat|constraint|timestamp/i);
    // A value the database refused got past the API's validation: the log says so, by SQLSTATE.
    expect(logged.join("\n")).toMatch(/22021[^\n]*\n[^\n]*22008/);
  });

  test("a syntax error is a bug (500), and what is logged of it carries no parameter", async () => {
    const error = await failure((db) => db.execute(sql`selec ${"secret-parameter@example.com"}`));
    expect(classifyDatabaseError(error)).toBe("other");
    expect(describeDatabaseError(error)).toContain("42601");
    expect(describeDatabaseError(error)).not.toContain("secret-parameter");
  });
});

// Over HTTP each statement is its own request: a slow one ties up nothing, and Neon mode's timeout is
// tested with the SQL endpoint's delay fault (routes/database-outage.test.ts, worker-exclusive); a
// sleeping statement here would stall the embedded database that every other file of the project
// shares. Killing the backend is likewise a TCP matter.
describe.skipIf(!tcp)("over TCP", () => {
  test("a statement slower than DB_TIMEOUT_MS is 'unavailable' within it, and so is the next one on that connection", async () => {
    const db = await createDb({ ...getConfig(env), dbTimeoutMs: 300 }, env);
    const started = Date.now();
    const slow = await failure((db) => db.execute(sql`select pg_sleep(5)`), db);
    expect(classifyDatabaseError(slow)).toBe("unavailable");
    expect(describeDatabaseError(slow)).toContain("300 ms");
    // The connection is given up: nothing more goes out on it.
    expect(classifyDatabaseError(await failure((db) => db.execute(sql`select 1`), db))).toBe("unavailable");
    expect(Date.now() - started).toBeLessThan(3000);
    await closeDb(db);
    // The next request's client connects afresh.
    const next = await createDb(getConfig(env), env);
    await expect(next.execute(sql`select 1 as ok`)).resolves.toBeDefined();
    await closeDb(next);
  });

  test("the server ending the connection (57P01) is 'unavailable', and so is every later query on it", async () => {
    const db = await createDb(getConfig(env), env);
    const killed = await failure((db) => db.execute(sql`select pg_terminate_backend(pg_backend_pid())`), db);
    expect(classifyDatabaseError(killed)).toBe("unavailable");
    expect(classifyDatabaseError(await failure((db) => db.execute(sql`select 1`), db))).toBe("unavailable");
    await closeDb(db);
  });
});
