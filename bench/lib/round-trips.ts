// Phase 1: database round trips per operation, read from the SQL endpoint's counter, one request at
// a time, with the statements each one sent (from the endpoint's log). The todo operations run twice:
// the edge way (production routes, access JWT) and the common way (Better Auth getSession per request).
import { setTimeout as sleep } from "node:timers/promises";
import { authHeaders, type BenchClient, type Identity, uniqueEmail, VARIANT_PREFIX, type Variant } from "./api.ts";
import type { OperationId } from "./budgets.ts";
import type { SqlEndpointHandle, SqlStats } from "./stack.ts";

export type RoundTripVariant = Extract<Variant, "jwt" | "session">;

export interface RoundTripRow {
  op: OperationId;
  variant: RoundTripVariant;
  roundTrips: number;
  statements: number;
  errors: number;
  /** Wall time of the request at the delay in force (0 ms in this phase). */
  ms: number;
  /** One entry per round trip: "<statements> stmt: <first 80 characters of SQL>". */
  sql: string[];
}

export interface RoundTripResults {
  rows: RoundTripRow[];
  /** Sequential timings at 0 ms database delay: where scrypt's cost shows. */
  signInMs: number[];
  signUpMs: number[];
}

async function settledStats(sql: SqlEndpointHandle): Promise<SqlStats> {
  // Work the Worker left running after answering (waitUntil) still counts: wait until it is quiet.
  let last = await sql.stats();
  for (let i = 0; i < 20; i++) {
    await sleep(50);
    const now = await sql.stats();
    if (now.roundTrips === last.roundTrips && i >= 2) return now;
    last = now;
  }
  return last;
}

async function measure<T>(
  sql: SqlEndpointHandle,
  op: OperationId,
  variant: RoundTripVariant,
  run: () => Promise<T>,
): Promise<{ row: RoundTripRow; value: T }> {
  await sql.reset();
  sql.captureLog(true);
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const stats = await settledStats(sql);
  // The endpoint logs a round trip just after answering it; give the last line a moment to arrive.
  for (let i = 0; i < 20 && sql.log.length < stats.roundTrips; i++) await sleep(25);
  const lines = [...sql.log].filter((line) => line.n <= stats.roundTrips).sort((a, b) => a.n - b.n);
  sql.captureLog(false);
  return {
    value,
    row: {
      op,
      variant,
      ms,
      roundTrips: stats.roundTrips,
      statements: stats.statements,
      errors: stats.errors,
      sql: lines.map((line) => `${line.statements} stmt: ${line.sql}`),
    },
  };
}

interface TodoJson {
  id: string;
}

async function todoOperations(
  client: BenchClient,
  sql: SqlEndpointHandle,
  variant: RoundTripVariant,
  who: Identity,
): Promise<RoundTripRow[]> {
  const prefix = VARIANT_PREFIX[variant];
  const base = `${prefix}/todos`;
  const headers = authHeaders(variant, who);
  const call = <T>(status: number, method: string, path: string, body?: unknown) =>
    client.expect<T>(status, method, path, { headers, body }).then((r) => r.body);
  const rows: RoundTripRow[] = [];
  const step = async <T>(op: OperationId, run: () => Promise<T>): Promise<T> => {
    const { row, value } = await measure(sql, op, variant, run);
    rows.push(row);
    return value;
  };
  const a = await step("create", () => call<TodoJson>(201, "POST", base, { title: "measured" }));
  const b = await call<TodoJson>(201, "POST", base, { title: "to delete" });
  await step("list", () => call(200, "GET", base));
  await step("read", () => call(200, "GET", `${base}/${a.id}`));
  await step("update", () => call(200, "PATCH", `${base}/${a.id}`, { completed: true }));
  await step("delete", () => call(204, "DELETE", `${base}/${b.id}`));
  await step("completeAll", () => call(200, "POST", `${base}/complete-all`, {}));
  await step("clearCompleted", () => call(200, "DELETE", `${base}?status=completed`));
  await step("me", () => call(200, "GET", `${prefix}/me`));
  return rows;
}

export async function measureRoundTrips(client: BenchClient, sql: SqlEndpointHandle): Promise<RoundTripResults> {
  await sql.setDelay(0);
  // Warm-up, not measured: the first requests of an isolate load Better Auth and the key cache.
  const warm = await client.newIdentity("warmup");
  for (const variant of ["jwt", "session"] as const) {
    const headers = authHeaders(variant, warm);
    await client.expect(200, "GET", `${VARIANT_PREFIX[variant]}/todos`, { headers });
  }

  const rows: RoundTripRow[] = [];
  const email = uniqueEmail("rt");
  const password = "Bench-Passw0rd";
  const signUp = await measure(sql, "signUp", "jwt", () => client.signUp(email, password));
  rows.push(signUp.row);
  const signIn = await measure(sql, "signIn", "jwt", () => client.signIn(email, password));
  rows.push(signIn.row);
  const token = await measure(sql, "tokenRefresh", "jwt", () => client.token(signIn.value));
  rows.push(token.row);
  const who: Identity = { email, password, userId: signUp.value.userId, cookie: signIn.value, token: token.value };
  rows.push(...(await todoOperations(client, sql, "jwt", who)));
  rows.push(...(await todoOperations(client, sql, "session", who)));

  const signInMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await client.signIn(email, password);
    signInMs.push(performance.now() - started);
  }
  const signUpMs = [signUp.row.ms];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    await client.signUp(uniqueEmail("rt"), password);
    signUpMs.push(performance.now() - started);
  }
  return { rows, signInMs, signUpMs };
}

/** The figure gated by the budgets: round trips of each operation the edge way. */
export function roundTripFigures(results: RoundTripResults): Record<string, number> {
  return Object.fromEntries(
    results.rows.filter((r) => r.variant === "jwt").map((r) => [`roundTrips.${r.op}`, r.roundTrips]),
  );
}
