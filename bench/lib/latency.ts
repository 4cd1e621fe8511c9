// Phase 2: latency at edge distance. The SQL endpoint adds a fixed delay to every round trip (the
// edge-to-region distance); each operation runs under autocannon at a fixed concurrency and its
// percentiles are set against the round-trip floor (round trips × delay) measured in phase 1.

import { authHeaders, type BenchClient, type Identity, uniqueEmail, VARIANT_PREFIX } from "./api.ts";
import type { OperationId } from "./budgets.ts";
import { type LoadOptions, type LoadResult, runLoad } from "./load.ts";
import type { RoundTripRow, RoundTripVariant } from "./round-trips.ts";
import type { SqlEndpointHandle } from "./stack.ts";
import { floorMultiple } from "./stats.ts";

export const LATENCY_OPERATIONS = [
  "signUp",
  "signIn",
  "tokenRefresh",
  "list",
  "create",
  "update",
  "delete",
  "clearCompleted",
] as const;
export type LatencyOperation = (typeof LATENCY_OPERATIONS)[number];

export interface LatencyRow {
  op: LatencyOperation;
  variant: RoundTripVariant;
  /** From phase 1 (the same operation and variant at 0 ms delay). */
  roundTrips: number | null;
  floorMs: number | null;
  /** p50, p95 and p99 as multiples of floorMs. */
  floorMultiples: { p50: number; p95: number; p99: number } | null;
  load: LoadResult;
}

export interface LatencyOptions {
  delayMs: number;
  connections: number;
  seconds: number;
  seedTodos: number;
  log: (message: string) => void;
}

const PASSWORD = "Bench-Passw0rd";

export async function measureLatency(
  client: BenchClient,
  sql: SqlEndpointHandle,
  roundTrips: readonly RoundTripRow[],
  options: LatencyOptions,
): Promise<LatencyRow[]> {
  const { connections, seconds, delayMs, log } = options;
  const url = client.baseUrl;
  const rows: LatencyRow[] = [];
  const record = (op: LatencyOperation, variant: RoundTripVariant, load: LoadResult) => {
    const rt = roundTrips.find((r) => r.op === (op as OperationId) && r.variant === variant)?.roundTrips ?? null;
    const l = load.latency;
    const multiples =
      rt === null
        ? null
        : {
            p50: floorMultiple(l.p50Ms, rt, delayMs),
            p95: floorMultiple(l.p95Ms, rt, delayMs),
            p99: floorMultiple(l.p99Ms, rt, delayMs),
          };
    rows.push({
      op,
      variant,
      roundTrips: rt,
      floorMs: rt === null ? null : rt * delayMs,
      floorMultiples: multiples,
      load,
    });
    log(
      `  ${variant.padEnd(7)} ${op.padEnd(14)} p50 ${l.p50Ms.toFixed(1)} ms  p95 ${l.p95Ms.toFixed(1)} ms  ${load.requests} req${load.failures ? `  ${load.failures} FAILED` : ""}`,
    );
  };

  const edge = await client.newIdentity("edge");
  const commonWay = await client.newIdentity("common");
  const variants = [
    { variant: "jwt", who: edge, ids: [] as string[] },
    { variant: "session", who: commonWay, ids: [] as string[] },
  ] satisfies { variant: RoundTripVariant; who: Identity; ids: string[] }[];
  // Each operation runs the edge way, then at once the common way, so the two compared figures
  // are measured seconds apart, not a minute: other work on a shared machine hits both alike.
  const eachVariant = async (
    op: LatencyOperation,
    options: (
      v: (typeof variants)[number],
      base: string,
    ) => Omit<LoadOptions, "url" | "connections" | "durationSeconds" | "headers"> | null,
  ) => {
    for (const v of variants) {
      const base = `${VARIANT_PREFIX[v.variant]}/todos`;
      const headers = authHeaders(v.variant, v.who);
      const phase = options(v, base);
      if (phase)
        record(op, v.variant, await runLoad({ url, connections, durationSeconds: seconds, headers, ...phase }));
    }
  };

  await sql.setDelay(delayMs);
  try {
    for (const v of variants) {
      const headers = authHeaders(v.variant, v.who);
      for (let i = 0; i < options.seedTodos; i++) {
        await client.expect(201, "POST", `${VARIANT_PREFIX[v.variant]}/todos`, {
          headers,
          body: { title: `seed ${i}` },
        });
      }
    }
    await eachVariant("list", (_v, base) => ({ path: base }));
    await eachVariant("create", (v, base) => ({
      method: "POST",
      path: base,
      body: { title: "load" },
      onResponse: (status, body) => {
        if (status === 201) v.ids.push((JSON.parse(body) as { id: string }).id);
      },
    }));
    await eachVariant("update", (v, base) => {
      let next = 0;
      return {
        method: "PATCH",
        path: base,
        body: { completed: true },
        setupRequest: (req) => ({ ...req, path: `${base}/${v.ids[next++ % v.ids.length]}` }),
      };
    });
    // Each todo created above deleted once: as many requests as there are ids.
    await eachVariant("delete", (v, base) => {
      const toDelete = [...v.ids];
      if (toDelete.length < connections) return null;
      return {
        method: "DELETE",
        path: base,
        amount: toDelete.length,
        setupRequest: (req) => ({
          ...req,
          path: `${base}/${toDelete.pop() ?? "00000000-0000-4000-8000-000000000000"}`,
        }),
      };
    });
    await eachVariant("clearCompleted", (_v, base) => ({ method: "DELETE", path: `${base}?status=completed` }));

    const auth = { url, connections, durationSeconds: seconds };
    record(
      "tokenRefresh",
      "jwt",
      await runLoad({ ...auth, path: "/api/auth/token", headers: { Cookie: edge.cookie } }),
    );
    const origin = { Origin: url };
    record(
      "signIn",
      "jwt",
      await runLoad({
        ...auth,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: origin,
        body: { email: edge.email, password: PASSWORD },
      }),
    );
    record(
      "signUp",
      "jwt",
      await runLoad({
        ...auth,
        method: "POST",
        path: "/api/auth/sign-up/email",
        headers: origin,
        body: {},
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ name: "Load", email: uniqueEmail("load"), password: PASSWORD }),
        }),
      }),
    );
  } finally {
    await sql.setDelay(0);
  }
  return rows;
}
