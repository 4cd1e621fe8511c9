import { describe, expect, it } from "vitest";
import { evaluateBudgets } from "./budgets.ts";
import { renderLatencySvg } from "./chart.ts";
import type { LatencyRow } from "./latency.ts";
import { renderMarkdown } from "./report.ts";
import type { BenchResults } from "./results.ts";
import { summarize } from "./stats.ts";

function latencyRow(
  op: LatencyRow["op"],
  variant: LatencyRow["variant"],
  roundTrips: number,
  samples: number[],
): LatencyRow {
  const latency = summarize(samples);
  return {
    op,
    variant,
    roundTrips,
    floorMs: roundTrips * 20,
    floorMultiples: {
      p50: latency.p50Ms / (roundTrips * 20),
      p95: latency.p95Ms / (roundTrips * 20),
      p99: latency.p99Ms / (roundTrips * 20),
    },
    load: {
      requests: samples.length,
      seconds: 4,
      rps: samples.length / 4,
      latency,
      statusCounts: { 200: samples.length },
      failures: 0,
    },
  };
}

function fixture(): BenchResults {
  const rows = [
    {
      op: "tokenRefresh" as const,
      variant: "jwt" as const,
      roundTrips: 3,
      statements: 3,
      errors: 0,
      ms: 12,
      sql: ["1 stmt: select session", "1 stmt: select user", "1 stmt: select jwks"],
    },
    {
      op: "list" as const,
      variant: "jwt" as const,
      roundTrips: 1,
      statements: 1,
      errors: 0,
      ms: 4,
      sql: ["1 stmt: select todos | pipes"],
    },
    { op: "list" as const, variant: "session" as const, roundTrips: 3, statements: 3, errors: 0, ms: 9, sql: [] },
  ];
  return {
    meta: {
      generatedAt: "2026-11-22T01:00:00.000Z",
      mode: "full",
      commit: "0123456789abcdef",
      dirty: false,
      node: "v22.23.3",
      wrangler: "4.164.0",
      cpus: 2,
      loadAverage: { start: 0.5, max: 3.5, mean: 2 },
      durationSeconds: 120,
      settings: { edgeDelayMs: 20, connections: 4, loadSeconds: 4, overheadSeconds: 2, overheadRounds: 3 },
    },
    roundTrips: { rows, signInMs: [150, 140, 160], signUpMs: [200] },
    latency: {
      delayMs: 20,
      connections: 4,
      seconds: 4,
      rows: [
        latencyRow("list", "jwt", 1, [21, 22, 30]),
        latencyRow("list", "session", 3, [61, 65, 90]),
        latencyRow("signIn", "jwt", 3, [600]),
      ],
    },
    authOverhead: null,
    verify: { iterations: 2000, repetitions: 3, cachedUs: 100, importUs: 150, slowdown: 1.5 },
    coldStart: { bundle: null, minifiedBundle: null, startup: null, signInMs: [150, 140, 160], signUpMs: [200] },
    pageWeight: {
      html: "web/dist/index.html",
      js: { rawBytes: 0, gzipBytes: 0, files: [] },
      css: { rawBytes: 0, gzipBytes: 0, files: [] },
      skipped: [],
    },
    budgets: evaluateBudgets({ "roundTrips.tokenRefresh": 3, "roundTrips.list": 1, "pageWeight.jsGzipBytes": 0 }),
    errors: ["Worker bundle: wrangler failed\nwith details"],
  };
}

describe("the Markdown report", () => {
  const md = renderMarkdown(fixture());

  it("puts every budget beside its figure, failures marked", () => {
    expect(md).toContain("| DB round trips: token refresh (GET /api/auth/token) | 3 | ≤ 1 | ❌ **fail** | yes |");
    expect(md).toContain("| DB round trips: list todos | 1 | ≤ 1 | ✅ pass | yes |");
    expect(md).toContain("| Worker bundle, gzip | — | ≤ 350.0 KiB | ❌ **not measured** | yes |");
    expect(md).toContain(
      "| Worker startup CPU (wrangler check startup) | — | ≤ 50.0 ms | — not measured | no (timing) |",
    );
  });

  it("compares round trips with the common way and latency with its floor", () => {
    expect(md).toContain("| list todos | **1** | 3 (+2) | 1 |");
    expect(md).toMatch(
      /\| list todos \| edge way \(JWT\) \| 1 \| 20\.0 ms \| 22\.0 ms \| 30\.0 ms \| 30\.0 ms \| 1\.10× \/ 1\.50× \/ 1\.50× \|/,
    );
    expect(md).toContain("`1 stmt: select jwks`");
  });

  it("links its chart and raw figures, warns about a loaded machine, and lists errors on one line each", () => {
    expect(md).toContain("](results/latency.svg)");
    expect(md).toContain("[results/latest.json](results/latest.json)");
    expect(md).toContain("load average reached 3.5 on 2 CPUs");
    expect(md).toContain("- Worker bundle: wrangler failed\n");
    expect(md).not.toContain("with details");
    expect(md).toContain("## 3. Auth overhead\n\nNot measured (see errors).");
    expect(md).toContain("No JavaScript yet");
  });

  it("ends with the load test section, from its own results when there are some", () => {
    expect(md).toMatch(/## 7\. Load test\n\nNot run yet: `npm run load`.*\n$/);
  });
});

describe("the latency chart", () => {
  it("draws one bar per todo operation and way, not the auth operations, with labels escaped", () => {
    const svg = renderLatencySvg(fixture().latency?.rows ?? []);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
    expect(svg).toContain("list todos — edge");
    expect(svg).toContain("list todos — common");
    expect(svg).not.toContain("sign-in");
    expect(renderLatencySvg([latencyRow("list", "jwt", 1, [5])]).match(/class="bar"/g)).toHaveLength(1);
  });
});
