// Contract tests: the real Neon driver against the local endpoint, on PGlite and, when TEST_DATABASE_URL
// is set, on that PostgreSQL too. Every expectation is what the driver yields against Neon itself.
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NeonDbError, neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SqlEndpoint, type SqlEndpointOptions, startSqlEndpoint } from "./server.ts";

// The endpoint ignores the target; the driver only needs a well-formed URL to put in the header.
const connectionString = "postgres://user:pw@localhost/db";
const sql = neon(connectionString);

const backends: { name: string; options: SqlEndpointOptions }[] = [{ name: "PGlite in memory", options: {} }];
if (process.env.TEST_DATABASE_URL) {
  backends.push({ name: "PostgreSQL", options: { databaseUrl: process.env.TEST_DATABASE_URL } });
}

// A folder that does not exist: starting must not depend on the app having migrations yet.
const noMigrations = join(tmpdir(), `sql-endpoint-no-migrations-${randomUUID()}`);

describe.each(backends)("SQL endpoint on $name", ({ options }) => {
  let endpoint: SqlEndpoint;
  // Unique per run, so parallel runs against one shared PostgreSQL cannot collide.
  const prefix = `sqlep_${randomUUID().slice(0, 8)}`;
  const tables: string[] = [];

  async function createUsersTable(): Promise<string> {
    const name = `${prefix}_users_${tables.length}`;
    tables.push(name);
    await sql.query(`CREATE TABLE ${name} (id int PRIMARY KEY, email text UNIQUE NOT NULL)`);
    return name;
  }

  const control = (settings: object) =>
    fetch(`${endpoint.url}/__control`, { method: "POST", body: JSON.stringify(settings) }).then((r) => r.json());
  const stats = () => fetch(`${endpoint.url}/__stats`).then((r) => r.json());
  const resetStats = () => fetch(`${endpoint.url}/__stats/reset`, { method: "POST" }).then((r) => r.json());

  beforeAll(async () => {
    endpoint = await startSqlEndpoint({ ...options, migrationsDir: noMigrations });
    // A global of the driver module; suites run one after another, so each points it at its own endpoint.
    neonConfig.fetchEndpoint = endpoint.sqlUrl;
  });

  afterAll(async () => {
    await control({ delayMs: 0, fault: null, match: null });
    for (const table of tables) await sql.query(`DROP TABLE IF EXISTS ${table}`);
    await endpoint.close();
  });

  afterEach(() => control({ delayMs: 0, fault: null, match: null }));

  it("answers health checks once started", async () => {
    const res = await fetch(`${endpoint.url}/__health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("round-trips every common type to the JS value the driver gives against Neon", async () => {
    const table = `${prefix}_types`;
    tables.push(table);
    await sql.query(`CREATE TABLE ${table} (
      i4 int4, i8 int8, num numeric(12, 4), flag bool, txt text, id uuid, at timestamptz, day date,
      doc jsonb, tags text[], nums int[], bytes bytea, nothing text)`);
    const input = {
      i4: 2147483647,
      i8: "9007199254740993", // int8 comes back as a string: past 2^53 a number would lose digits
      num: "12345.67",
      flag: true,
      txt: "naïve ☃ 'x'",
      id: randomUUID(),
      at: new Date("2026-03-04T05:06:07.089Z"),
      day: "2026-03-04",
      doc: { a: 1, nested: { list: [true, null, "x"] } },
      tags: ["plain", "with,comma", 'with "quotes"', "back\\slash", null],
      nums: [1, -2, 3],
      bytes: Buffer.from([0, 1, 127, 254, 255]),
      nothing: null,
    };
    const columns = Object.keys(input);
    const placeholders = columns.map((_, i) => `$${i + 1}`);

    const rows = await sql.query(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${placeholders.join(", ")}) RETURNING *`,
      Object.values(input),
    );

    expect(rows).toEqual([
      {
        ...input,
        num: "12345.6700", // numeric keeps its declared scale, as text
        day: new Date(2026, 2, 4), // the driver reads a date as local midnight
      },
    ]);
  });

  it("reports fields, command and rowCount in fullResults as Neon does", async () => {
    const table = await createUsersTable();

    const inserted = await sql.query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4)`, [1, "a@x.test", 2, "b@x.test"], {
      fullResults: true,
    });
    expect(inserted).toMatchObject({ command: "INSERT", rowCount: 2, rows: [], fields: [] });

    const selected = await sql.query(`SELECT id, email FROM ${table} ORDER BY id`, [], { fullResults: true });
    expect(selected).toMatchObject({
      command: "SELECT",
      rowCount: 2,
      rowAsArray: false,
      rows: [
        { id: 1, email: "a@x.test" },
        { id: 2, email: "b@x.test" },
      ],
    });
    const column = { tableID: expect.any(Number), dataTypeModifier: -1, format: "text" };
    expect(selected.fields).toEqual([
      { ...column, name: "id", columnID: 1, dataTypeID: 23, dataTypeSize: 4 },
      { ...column, name: "email", columnID: 2, dataTypeID: 25, dataTypeSize: -1 },
    ]);
    expect(selected.fields[0]?.tableID).toBeGreaterThan(0);

    const updated = await sql.query(`UPDATE ${table} SET email = upper(email)`, [], { fullResults: true });
    expect(updated).toMatchObject({ command: "UPDATE", rowCount: 2 });
  });

  it("returns rows as arrays in array mode", async () => {
    const sqlArrays = neon(connectionString, { arrayMode: true });
    expect(await sqlArrays`SELECT 1 AS a, 'x' AS b`).toEqual([[1, "x"]]);
    const full = await sqlArrays.query("SELECT 2 AS a", [], { fullResults: true });
    expect(full).toMatchObject({ rowAsArray: true, rows: [[2]] });
  });

  it("raises NeonDbError 23505 with the constraint on a unique violation", async () => {
    const table = await createUsersTable();
    await sql.query(`INSERT INTO ${table} VALUES (1, 'dup@x.test')`);

    const error = await sql.query(`INSERT INTO ${table} VALUES (2, 'dup@x.test')`).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      message: `duplicate key value violates unique constraint "${table}_email_key"`,
      code: "23505",
      severity: "ERROR",
      constraint: `${table}_email_key`,
      table,
      schema: "public",
      detail: "Key (email)=(dup@x.test) already exists.",
    });
  });

  it("raises NeonDbError 42601 with the position on a syntax error", async () => {
    const error = await sql.query("SELEC 1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: "42601", position: "1", message: 'syntax error at or near "SELEC"' });
  });

  it("runs one statement per request, as Neon does", async () => {
    const error = await sql.query("SELECT 1; SELECT 2").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "42601",
      message: "cannot insert multiple commands into a prepared statement",
    });
  });

  it("commits a transaction's statements together in one round trip", async () => {
    const table = await createUsersTable();
    await resetStats();

    const [, , count] = await sql.transaction([
      sql.query(`INSERT INTO ${table} VALUES (1, 'one@x.test')`),
      sql.query(`INSERT INTO ${table} VALUES (2, 'two@x.test')`),
      sql.query(`SELECT count(*)::int AS n FROM ${table}`),
    ]);

    expect(count).toEqual([{ n: 2 }]);
    expect(await sql.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await stats()).toMatchObject({ roundTrips: 2, statements: 4, errors: 0 });
  });

  it("rolls back every write of a failing transaction", async () => {
    const table = await createUsersTable();

    const error = await sql
      .transaction([
        sql.query(`INSERT INTO ${table} VALUES (1, 'first@x.test')`),
        sql.query(`INSERT INTO ${table} VALUES (1, 'same-id@x.test')`),
      ])
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "23505", constraint: `${table}_pkey` });
    expect(await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
  });

  it("applies the batch isolation level, read-only and deferrable modes", async () => {
    const table = await createUsersTable();
    const [isolation, readOnly, deferrable] = await sql.transaction(
      [sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`, sql`SHOW transaction_deferrable`],
      { isolationLevel: "Serializable", readOnly: true, deferrable: true },
    );
    expect(isolation).toEqual([{ transaction_isolation: "serializable" }]);
    expect(readOnly).toEqual([{ transaction_read_only: "on" }]);
    expect(deferrable).toEqual([{ transaction_deferrable: "on" }]);

    const error = await sql
      .transaction([sql.query(`INSERT INTO ${table} VALUES (1, 'ro@x.test')`)], { readOnly: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "25006" });
  });

  it("never lets a concurrent statement see a transaction half done", async () => {
    const table = await createUsersTable();
    // Each transaction writes two rows, so any count observed between transactions is even.
    const writes = Array.from({ length: 10 }, (_, i) =>
      sql.transaction([
        sql.query(`INSERT INTO ${table} VALUES ($1, $2)`, [2 * i, `${2 * i}@x.test`]),
        sql.query(`INSERT INTO ${table} VALUES ($1, $2)`, [2 * i + 1, `${2 * i + 1}@x.test`]),
      ]),
    );
    const reads = Array.from({ length: 20 }, () => sql.query(`SELECT count(*)::int AS n FROM ${table}`));

    const [, counts] = await Promise.all([Promise.all(writes), Promise.all(reads)]);

    for (const [row] of counts) expect(row?.n % 2).toBe(0);
    expect(await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 20 }]);
  });

  it("counts round trips, a batch as one, and resets the counters", async () => {
    expect(await resetStats()).toEqual({ roundTrips: 0, statements: 0, errors: 0 });

    await sql`SELECT 1`;
    await sql`SELECT 2`;
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`]);
    await sql`SELEC 1`.catch(() => undefined);

    expect(await stats()).toEqual({ roundTrips: 4, statements: 6, errors: 1 });
    await resetStats();
    expect(await stats()).toEqual({ roundTrips: 0, statements: 0, errors: 0 });
  });

  it("adds the configured delay to every round trip", async () => {
    expect(await control({ delayMs: 150 })).toEqual({ delayMs: 150, fault: null, match: null });

    const started = performance.now();
    await sql`SELECT 1`;
    const elapsed = performance.now() - started;

    // Node's timers count whole milliseconds, so a 150 ms timer can fire up to 1 ms early by this clock.
    expect(elapsed).toBeGreaterThanOrEqual(149);
  });

  const faultCases: [string, (error: unknown) => void][] = [
    [
      "refuse",
      (error) =>
        expect(error).toMatchObject({
          name: "NeonDbError",
          message: expect.stringMatching(/^Error connecting to database/),
        }),
    ],
    [
      "fail",
      (error) =>
        expect(error).toMatchObject({
          name: "NeonDbError",
          message: expect.stringContaining(
            `Server error (HTTP status 500): {"message":"Couldn't connect to compute node"`,
          ),
        }),
    ],
    // The driver does not wrap an unparseable body: the caller sees JSON.parse's own error.
    ["garble", (error) => expect(error).toBeInstanceOf(SyntaxError)],
  ];

  it.each(faultCases)("makes the driver throw on fault %s, and recovers once it is cleared", async (fault, check) => {
    expect(await control({ fault })).toEqual({ delayMs: 0, fault, match: null });
    check(await sql`SELECT 1 AS ok`.catch((e: unknown) => e));

    await control({ fault: null });
    expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
  });

  it("hangs on fault hang until the client gives up, and recovers once it is cleared", async () => {
    await control({ fault: "hang" });

    const error = await sql
      .query("SELECT 1 AS ok", [], { fetchOptions: { signal: AbortSignal.timeout(200) } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "NeonDbError",
      message: expect.stringMatching(/^Error connecting to database: .*TimeoutError/),
    });

    await control({ fault: null });
    expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
  });

  it("with match, faults only the requests whose SQL matches", async () => {
    await control({ fault: "fail", match: "select 2" });
    expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
    expect(await sql`SELECT 2 AS ok`.catch((e: unknown) => e)).toMatchObject({ name: "NeonDbError" });
    // A batch is one request: one matching statement fails it all.
    const batch = await sql.transaction([sql`SELECT 1 AS ok`, sql`SELECT 2 AS ok`]).catch((e: unknown) => e);
    expect(batch).toMatchObject({ name: "NeonDbError" });
  });

  it("rejects control settings it does not understand", async () => {
    const res = await fetch(`${endpoint.url}/__control`, {
      method: "POST",
      body: JSON.stringify({ fault: "explode" }),
    });
    expect(res.status).toBe(400);
    expect(await fetch(`${endpoint.url}/__control`).then((r) => r.json())).toEqual({
      delayMs: 0,
      fault: null,
      match: null,
    });
  });

  // The driver always asks for raw text and arrays; other Neon clients do not, so the protocol is checked directly.
  it("answers in Neon's JSON shapes when raw text and array mode are off", async () => {
    const post = (body: object, headers: Record<string, string> = {}) =>
      fetch(endpoint.sqlUrl, {
        method: "POST",
        headers: { "Neon-Connection-String": connectionString, ...headers },
        body: JSON.stringify(body),
      });

    const single = await post({
      query:
        "SELECT $1::int AS i, 5::int8 AS big, 1.5::float8 AS f, true AS b, $2::jsonb AS j, $3::int[] AS a, " +
        "ARRAY['x', NULL] AS t",
      params: [7, { k: [1] }, [1, 2]],
    });
    expect(single.status).toBe(200);
    expect(await single.json()).toMatchObject({
      rowAsArray: false,
      command: "SELECT",
      rowCount: 1,
      rows: [{ i: 7, big: "5", f: 1.5, b: true, j: { k: [1] }, a: [1, 2], t: ["x", null] }],
    });

    const batch = await post(
      { queries: [{ query: "SELECT 1 AS n" }, { query: "SELECT 2 AS n", arrayMode: true }] },
      { "Neon-Batch-Isolation-Level": "RepeatableRead" },
    );
    expect(batch.headers.get("neon-batch-isolation-level")).toBe("RepeatableRead");
    expect((await batch.json()).results.map((r: { rows: unknown }) => r.rows)).toEqual([[{ n: 1 }], [[2]]]);

    const noTarget = await fetch(endpoint.sqlUrl, { method: "POST", body: JSON.stringify({ query: "SELECT 1" }) });
    expect(noTarget.status).toBe(400);
    expect(await noTarget.json()).toMatchObject({ message: "invalid header: neon-connection-string", code: "" });
  });
});
