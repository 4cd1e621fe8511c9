// Database round trips per operation, read from the SQL endpoint's counter, one request at a time,
// with the statements each one sent (from the endpoint's log). The todo operations run twice: the
// edge way (production routes, access JWT) and the common way (Better Auth getSession per request).
import { setTimeout as sleep } from "node:timers/promises";
import { authHeaders, type BenchClient, type Identity, uniqueEmail, VARIANT_PREFIX } from "./api.ts";
import type { OperationId } from "./budgets.ts";
import type { SqlEndpointHandle } from "./stack.ts";

export type Way = "jwt" | "session";

export interface RoundTripRow {
  op: OperationId;
  variant: Way;
  roundTrips: number;
  statements: number;
  /** One entry per round trip: "<statements> stmt: <first 80 characters of SQL>". */
  sql: string[];
}

export interface RoundTripResults {
  rows: RoundTripRow[];
  /** Sequential timings at 0 ms database delay: where scrypt's cost shows. */
  signInMs: number[];
  signUpMs: number[];
}

async function measure<T>(sql: SqlEndpointHandle, run: () => Promise<T>) {
  await sql.reset();
  sql.captureLog(true);
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  // Work the Worker left running after answering (waitUntil) still counts: wait until it is quiet.
  let stats = await sql.stats();
  for (let i = 0; i < 20; i++) {
    await sleep(50);
    const now = await sql.stats();
    if (now.roundTrips === stats.roundTrips && i >= 2) break;
    stats = now;
  }
  // The endpoint logs a round trip just after answering it; give the last line a moment to arrive.
  for (let i = 0; i < 20 && sql.log.length < stats.roundTrips; i++) await sleep(25);
  const lines = sql.log.filter((line) => line.n <= stats.roundTrips).sort((a, b) => a.n - b.n);
  sql.captureLog(false);
  const sqlLines = lines.map((line) => `${line.statements} stmt: ${line.sql}`);
  const counted = { roundTrips: stats.roundTrips, statements: stats.statements, sql: sqlLines };
  return { value, ms, counted };
}

async function todoOperations(client: BenchClient, sql: SqlEndpointHandle, variant: Way, who: Identity) {
  const prefix = VARIANT_PREFIX[variant];
  const base = `${prefix}/todos`;
  const headers = authHeaders(variant, who);
  const call = <T>(status: number, method: string, path: string, body?: unknown) =>
    client.expect<T>(status, method, path, { headers, body }).then((r) => r.body);
  const rows: RoundTripRow[] = [];
  const step = async <T>(op: OperationId, run: () => Promise<T>): Promise<T> => {
    const { value, counted } = await measure(sql, run);
    rows.push({ op, variant, ...counted });
    return value;
  };
  const a = await step("create", () => call<{ id: string }>(201, "POST", base, { title: "measured" }));
  const b = await call<{ id: string }>(201, "POST", base, { title: "to delete" });
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
  for (const variant of ["jwt", "session"] as const)
    await client.expect(200, "GET", `${VARIANT_PREFIX[variant]}/todos`, { headers: authHeaders(variant, warm) });

  const email = uniqueEmail("rt");
  const timed = async <T>(op: OperationId, run: () => Promise<T>) => {
    const { value, ms, counted } = await measure(sql, run);
    return { value, ms, row: { op, variant: "jwt" as const, ...counted } };
  };
  const signUp = await timed("signUp", () => client.signUp(email));
  const signIn = await timed("signIn", () => client.signIn(email));
  const token = await timed("tokenRefresh", () => client.token(signIn.value));
  const who = { email, userId: signUp.value.userId, cookie: signIn.value, token: token.value };
  const rows: RoundTripRow[] = [signUp.row, signIn.row, token.row];
  rows.push(...(await todoOperations(client, sql, "jwt", who)));
  rows.push(...(await todoOperations(client, sql, "session", who)));

  const elapsed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const signInMs = [];
  for (let i = 0; i < 5; i++) signInMs.push(await elapsed(() => client.signIn(email)));
  const signUpMs = [signUp.ms];
  for (let i = 0; i < 2; i++) signUpMs.push(await elapsed(() => client.signUp(uniqueEmail("rt"))));
  return { rows, signInMs, signUpMs };
}

/** The figures the budgets judge: round trips of each operation the edge way. */
export const roundTripFigures = (results: RoundTripResults) =>
  Object.fromEntries(results.rows.filter((r) => r.variant === "jwt").map((r) => [`roundTrips.${r.op}`, r.roundTrips]));
