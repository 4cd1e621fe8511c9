import { describe, expect, it } from "vitest";
import { renderLoadSection } from "./load-report.ts";
import type { LoadTestResults } from "./results.ts";
import { judgeMemory } from "./rss.ts";
import { summarize } from "./stats.ts";
import { DEFAULT_MIX, OP_KINDS } from "./todo-ledger.ts";
import { auditSummary, auditWrites } from "./write-audit.ts";

function fixture(): LoadTestResults {
  const kind = (requests: number, status: string) => ({
    requests,
    statusCounts: { [status]: requests },
    latency: summarize([10, 20, 30, 400]),
  });
  const audit = auditSummary(
    auditWrites({ created: new Map([["a", "u0"]]), deleted: new Set(), found: [{ id: "a", userId: "u0" }] }),
  );
  const memory = { ...judgeMemory([0, 1, 2, 3, 4, 5].map((t) => ({ t, mib: 100 }))), pids: [1], cpuSeconds: 30 };
  return {
    meta: {
      generatedAt: "2026-11-22T02:00:00.000Z",
      commit: "abcdef0123456789",
      dirty: true,
      node: "v22.23.3",
      cpus: 2,
      loadAverage: { start: 1, max: 3, mean: 2 },
      durationSeconds: 95,
      settings: { connections: 50, seconds: 60, users: 10, maxLivePerUser: 900, mix: { ...DEFAULT_MIX } },
    },
    overall: {
      requests: 6000,
      seconds: 60,
      rps: 100,
      latency: summarize([10, 20, 30, 400]),
      statusCounts: { 200: 4000, 201: 1500, 204: 500 },
      failures: 0,
      connectionErrors: 0,
      timeouts: 0,
    },
    byKind: {
      list: kind(3000, "200"),
      get: kind(500, "200"),
      create: kind(1500, "201"),
      toggle: kind(450, "200"),
      delete: kind(500, "204"),
      refresh: kind(50, "200"),
    },
    unanswered: Object.fromEntries(OP_KINDS.map((k) => [k, k === "create" ? 2 : 0])) as LoadTestResults["unanswered"],
    resolution: { createsWritten: 2, createsNotWritten: 0, deletesReplayed: 0, nothingToResolve: 0, failed: [] },
    writes: { creates: 1500, deletes: 500, api: audit, db: { ...audit, countStar: 1 } },
    memory: { worker: memory, proxy: memory, endpoint: memory, wrangler: memory },
    memorySeries: [],
    loadWindow: { start: 0, end: 60 },
    appLog: {
      reloads: 0,
      serverErrors: 0,
      statusByRoute: {},
      workerMs: { "GET /api/todos": summarize([2, 3, 4]) },
      errorLines: [],
    },
    anomalies: [],
    failures: [],
    warnings: [],
  };
}

describe("the report's load test section", () => {
  it("states the verdict, the figures the issue asks for, and the memory table", () => {
    const md = renderLoadSection(fixture());
    expect(md).toContain("## 7. Load test");
    expect(md).toContain("**✅ passed: 0 errors, 0 lost writes, memory stable.**");
    expect(md).toContain("**50 connections busy for 60 s**");
    expect(md).toContain("| requests (answered) | 6000 in 60 s: **100 req/s** |");
    expect(md).toContain("| latency p50 / p95 / p99 (all requests) | 20 ms / 400 ms / 400 ms (max 400 ms) |");
    expect(md).toContain("| errors: non-2xx + connection errors + timeouts | **0** (0 + 0 + 0) |");
    expect(md).toContain("| rows in the database (`select … from todos`; `count(*)`) | 1; 1 ✅ |");
    expect(md).toMatch(
      /\| list \(GET \/api\/todos, all\/active\/completed\) \| 3000 \| 50 % \| 200: 3000 \| .* \| 3\.0 ms \/ 4\.0 ms \/ 4\.0 ms \|/,
    );
    expect(md).toContain(
      "| workerd running the Worker | 100 MiB | 100 MiB | 100 MiB | +0.0 MiB/min (0.0 %/min) | stable: end within 64 MiB of the start (+0 MiB) | 0.0 MiB | 30 s (50 % of a core) |",
    );
    expect(md).toContain("[results/load.json](results/load.json)");
  });

  it("lists why a run failed and survives a JSON round trip (NaN stored as null)", () => {
    const failed = fixture();
    failed.failures = ["3 request(s) failed: 3× 503"];
    failed.overall.statusCounts = { 200: 10, 503: 3 };
    failed.memory.wrangler = { ...judgeMemory([]), pids: [], cpuSeconds: 0 };
    failed.appLog.errorLines = ['{"level":"error","msg":"request","path":"/api/todos","status":503}'];
    const md = renderLoadSection(JSON.parse(JSON.stringify(failed)) as LoadTestResults);
    expect(md).toContain("**❌ failed:**\n\n- 3 request(s) failed: 3× 503");
    expect(md).toContain("**503: 3**");
    expect(md).toMatch(/\| wrangler dev \(node\) \| — \| — \| — \| — \| not measured/);
    expect(md).toContain('```\n{"level":"error","msg":"request","path":"/api/todos","status":503}\n```');
  });

  it("says how to get the figures when there are none", () => {
    expect(renderLoadSection(null)).toContain("Not run yet: `npm run load`");
  });
});
