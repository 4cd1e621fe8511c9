// Latency at edge distance: the SQL endpoint holds every round trip for a fixed delay (the
// edge-to-region distance) while each operation runs under autocannon at a fixed concurrency. The
// report sets the percentiles against the round-trip floor (round trips × delay).
import { authHeaders, type BenchClient, PASSWORD, uniqueEmail, VARIANT_PREFIX } from "./api.ts";
import type { OperationId } from "./budgets.ts";
import { type LoadOptions, type LoadResult, runLoad } from "./load.ts";
import type { Way } from "./round-trips.ts";
import type { SqlEndpointHandle } from "./stack.ts";

export interface LatencyRow {
  op: OperationId;
  variant: Way;
  load: LoadResult;
}

export interface LatencyResults {
  delayMs: number;
  connections: number;
  seconds: number;
  rows: LatencyRow[];
}

type Phase = Omit<LoadOptions, "url" | "connections" | "seconds">;

export async function measureLatency(
  client: BenchClient,
  sql: SqlEndpointHandle,
  options: { delayMs: number; connections: number; seconds: number; log: (message: string) => void },
): Promise<LatencyResults> {
  const { connections, seconds, log } = options;
  const rows: LatencyRow[] = [];
  const record = async (op: OperationId, variant: Way, phase: Phase) => {
    const load = await runLoad({ url: client.baseUrl, connections, seconds, ...phase });
    rows.push({ op, variant, load });
    const l = load.latency;
    const failed = load.failures ? `  ${load.failures} FAILED` : "";
    log(`  ${variant.padEnd(7)} ${op.padEnd(14)} p50 ${l.p50Ms.toFixed(1)} ms  p95 ${l.p95Ms.toFixed(1)} ms${failed}`);
  };

  const ways = await Promise.all(
    (["jwt", "session"] as const).map(async (variant) => {
      const who = await client.newIdentity(variant);
      const base = `${VARIANT_PREFIX[variant]}/todos`;
      return { variant, who, base, headers: authHeaders(variant, who), ids: [] as string[] };
    }),
  );
  // Each operation runs the edge way, then at once the common way, so the two compared figures
  // are measured seconds apart, not a minute: other work on the machine hits both alike.
  const eachWay = async (op: OperationId, phase: (way: (typeof ways)[number]) => Phase | null) => {
    for (const way of ways) {
      const options = phase(way);
      if (options) await record(op, way.variant, { headers: way.headers, ...options });
    }
  };

  await sql.setDelay(options.delayMs);
  try {
    for (const { base, headers } of ways)
      for (let i = 0; i < 10; i++) await client.expect(201, "POST", base, { headers, body: { title: `seed ${i}` } });
    await eachWay("list", (way) => ({ path: way.base }));
    await eachWay("create", (way) => ({
      method: "POST",
      path: way.base,
      body: { title: "load" },
      onResponse: (status, body) => {
        if (status === 201) way.ids.push((JSON.parse(body) as { id: string }).id);
      },
    }));
    await eachWay("update", (way) => {
      let next = 0;
      const path = () => `${way.base}/${way.ids[next++ % way.ids.length]}`;
      return {
        method: "PATCH",
        path: way.base,
        body: { completed: true },
        setupRequest: (req) => ({ ...req, path: path() }),
      };
    });
    // Each todo created above deleted once: as many requests as there are ids.
    await eachWay("delete", (way) => {
      const ids = [...way.ids];
      if (ids.length < connections) return null;
      return {
        method: "DELETE",
        path: way.base,
        amount: ids.length,
        setupRequest: (req) => ({ ...req, path: `${way.base}/${ids.pop()}` }),
      };
    });
    await eachWay("clearCompleted", (way) => ({ method: "DELETE", path: `${way.base}?status=completed` }));

    const edge = ways[0]!.who;
    await record("tokenRefresh", "jwt", { path: "/api/auth/token", headers: { Cookie: edge.cookie } });
    const origin = { Origin: client.baseUrl };
    await record("signIn", "jwt", {
      method: "POST",
      path: "/api/auth/sign-in/email",
      headers: origin,
      body: { email: edge.email, password: PASSWORD },
    });
    await record("signUp", "jwt", {
      method: "POST",
      path: "/api/auth/sign-up/email",
      headers: origin,
      body: {},
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ name: "Load", email: uniqueEmail("load"), password: PASSWORD }),
      }),
    });
  } finally {
    await sql.setDelay(0);
  }
  return { delayMs: options.delayMs, connections, seconds, rows };
}
