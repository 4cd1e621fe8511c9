// The "Load test" section of bench/REPORT.md, and the shape of bench/results/load.json it reads.
import type { AppLogFindings } from "./app-log.ts";
import type { LoadResult } from "./load.ts";
import { ms, provenance, table } from "./markdown.ts";
import type { KindStats, Resolution } from "./mixed-load.ts";
import { EXCESS_GROWTH_MIB, type Memory, ROLE_LABEL, ROLES, type Role } from "./rss.ts";
import type { RunInfo } from "./run-context.ts";
import { OP_KINDS, type OpKind } from "./todo-ledger.ts";
import type { AuditSummary } from "./write-audit.ts";

export interface LoadTestResults {
  run: RunInfo;
  settings: {
    connections: number;
    seconds: number;
    users: number;
    maxLivePerUser: number;
    mix: Record<OpKind, number>;
  };
  overall: LoadResult;
  byKind: Record<OpKind, KindStats>;
  unanswered: Record<OpKind, number>;
  resolution: Resolution;
  writes: {
    /** 201s and 204s seen during the load (replays after it included). */
    creates: number;
    deletes: number;
    api: AuditSummary;
    db: AuditSummary & { countStar: number };
  };
  /** Per watched process: its memory over the load and the CPU seconds it used then. */
  memory: Record<Role, Memory & { cpuSeconds: number }>;
  loadSeconds: number;
  appLog: AppLogFindings;
  anomalies: string[];
  /** Why the run failed (empty = passed), and what deserves a look without failing it. */
  failures: string[];
  warnings: string[];
}

const KIND_LABEL: Record<OpKind, string> = {
  list: "list (GET /api/todos, all/active/completed)",
  get: "read one (GET /api/todos/:id)",
  create: "create (POST /api/todos, Idempotency-Key)",
  toggle: "toggle (PATCH completed, If-Match on half)",
  delete: "delete (DELETE /api/todos/:id, If-Match on half)",
  refresh: "token refresh (GET /api/auth/token, cookie)",
};

/** The route each kind of request hits, as the Worker's request log names it. */
const KIND_ROUTE: Record<OpKind, string> = {
  list: "GET /api/todos",
  get: "GET /api/todos/:id",
  create: "POST /api/todos",
  toggle: "PATCH /api/todos/:id",
  delete: "DELETE /api/todos/:id",
  refresh: "GET /api/auth/token",
};

// load.json stores NaN (nothing measured) as null.
const mib = (value: number | null) => (value === null || !Number.isFinite(value) ? "—" : `${value.toFixed(0)} MiB`);
const statuses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => (status.startsWith("2") ? `${status}: ${n}` : `**${status}: ${n}**`))
    .join(", ") || "—";
const percentiles = (l: { p50Ms: number; p95Ms: number; p99Ms: number }) => [ms(l.p50Ms), ms(l.p95Ms), ms(l.p99Ms)];

/** The run's main figures: requests, errors, and the write audit. Also printed by `npm run load`. */
export function figuresTable(load: LoadTestResults): string {
  const { overall: o, resolution: r, writes: w } = load;
  return table(
    ["figure", "value"],
    [
      ["requests (answered)", `${o.requests} in ${o.seconds.toFixed(0)} s: **${o.rps.toFixed(0)} req/s**`],
      ["latency p50 / p95 / p99 (all requests)", `${percentiles(o.latency).join(" / ")} (max ${ms(o.latency.maxMs)})`],
      [
        "errors: non-2xx + connection errors + timeouts",
        `**${o.failures}** (${o.failures - o.connectionErrors - o.timeouts} + ${o.connectionErrors} + ${o.timeouts})`,
      ],
      [
        "sent without a 2xx by the end (in flight when the clock stopped, or failed)",
        `${Object.values(load.unanswered).reduce((a, b) => a + b, 0)}; replayed after the run: ${r.createsWritten} creates had written (same Idempotency-Key answered as a replay), ${r.createsNotWritten} had not, ${r.deletesReplayed} deletes re-sent${r.failed.length ? `, **${r.failed.length} could not be resolved**` : ""}`,
      ],
      ["todos created / deleted (201s / 204s, replays after the run included)", `${w.creates} / ${w.deletes}`],
      ["rows expected (created − deleted)", String(w.api.expected)],
      ["rows listed through the API (every user, every page)", `${w.api.found}${w.api.ok ? "" : " (**lost writes**)"}`],
      [
        "rows in the database (`select … from todos`; `count(*)`)",
        `${w.db.found}; ${w.db.countStar}${w.db.ok && w.db.countStar === w.db.found ? "" : " (**lost writes**)"}`,
      ],
      [
        "lost creates / lost deletes / unannounced rows / wrong owner",
        `${w.db.missing} / ${w.db.undeleted} / ${w.db.unknown} / ${w.db.wrongOwner}`,
      ],
      ["anomalies (duplicate id, another user's todo, wrong answer)", String(load.anomalies.length)],
      ["5xx in the Worker's request log", String(load.appLog.serverErrors)],
    ],
  );
}

/** Memory and CPU per process of the stack. Also printed by `npm run load`. */
export function memoryTable(load: LoadTestResults): string {
  const rows = ROLES.map((role) => {
    const v = load.memory[role];
    const growth = v.endMiB - v.startMiB;
    return [
      ROLE_LABEL[role],
      mib(v.startMiB),
      mib(v.peakMiB),
      mib(v.endMiB),
      Number.isFinite(growth) ? `${growth >= 0 ? "+" : ""}${mib(growth)}` : "—",
      `${v.cpuSeconds.toFixed(0)} s (${((v.cpuSeconds / load.loadSeconds) * 100).toFixed(0)} % of a core)`,
    ];
  });
  return table(["process", "start", "peak", "end", "end − start", "CPU during the load"], rows);
}

export function renderLoadSection(load: LoadTestResults | null): string {
  const title = "## 7. Load test";
  if (!load) return `${title}\n\nNot run yet: \`npm run load\` writes it (results/load.json).`;
  const { settings: s, overall: o } = load;
  const verdict = load.failures.length
    ? `**❌ failed:**\n\n${load.failures.map((f) => `- ${f}`).join("\n")}`
    : `**✅ passed: 0 errors, 0 lost writes**${load.warnings.length ? ` (${load.warnings.length} warning(s), below)` : ""}`;

  const kinds = OP_KINDS.filter((k) => load.byKind[k].requests > 0).map((kind) => {
    const k = load.byKind[kind];
    const inWorker = load.appLog.workerMs[KIND_ROUTE[kind]];
    return [
      KIND_LABEL[kind],
      String(k.requests),
      `${((k.requests / Math.max(1, o.requests)) * 100).toFixed(0)} %`,
      statuses(k.statusCounts),
      ...percentiles(k.latency),
      ms(k.latency.maxMs),
      inWorker ? percentiles(inWorker).join(" / ") : "—",
    ];
  });
  kinds.push([
    "**all**",
    `**${o.requests}**`,
    "100 %",
    statuses(o.statusCounts),
    ...percentiles(o.latency),
    ms(o.latency.maxMs),
    "",
  ]);

  const parts = [
    title,
    "",
    `${provenance("npm run load", load.run)} Raw figures: [results/load.json](results/load.json).`,
    "",
    `The production Worker (\`wrangler.toml\`, bundled as for a deploy) in \`wrangler dev\` on the SQL endpoint with PGlite in a temporary directory, with \`AUTH_RATE_LIMIT=off\` (all the load comes from one address). ${s.users} users signed up first; then autocannon keeps **${s.connections} connections busy for ${s.seconds} s**, each request planned from what the answers so far say: a random user, a kind by weight (${OP_KINDS.map((k) => `${k} ${s.mix[k]}`).join(", ")}), a todo that no request in flight touches. Because requests on one todo never overlap, a toggle's \`If-Match\` is always the current version and nothing races a delete: **every answer other than 2xx counts as an error** (a 412 or a 404 would mean a lost or phantom write, not a race the test made). A user at ${s.maxLivePerUser} todos gets deletes instead of creates (the API's cap is higher).`,
    "",
    verdict,
    "",
    figuresTable(load),
    "",
    "Latency by kind of request, measured by the load generator on the same machine as the app (a timing: reported, never gated):",
    "",
    table(
      ["request", "requests", "share", "statuses", "p50", "p95", "p99", "max", "in the Worker p50 / p95 / p99"],
      kinds,
    ),
    "",
    "\"In the Worker\" is the Worker's own request log (`ms`): wall time inside the handler chain, which in Workers advances only across I/O, so it is the database round trips plus the wait for the isolate's one thread, which all concurrent requests share. The rest of the client's latency is queueing before the Worker: in wrangler's proxy (a second workerd) and for the CPU. With every connection always busy, p50 ≈ connections ÷ req/s: latency here measures throughput, bound by the cores that the whole chain and the load generator share.",
    "",
    "Resident memory (VmRSS of the stack's processes, sampled every second during the load, each role's processes summed; end = median of the last 5 samples) and the CPU time each used during the load:",
    "",
    memoryTable(load),
    "",
    `Under \`wrangler dev\` both workerd processes grow with the number of requests they serve, whatever the request. wrangler's proxy runs none of the app's code, so it is the control: the run warns (never fails) when the Worker's workerd grows more than ${EXCESS_GROWTH_MIB} MiB beyond the proxy's growth.`,
  ];
  if (load.warnings.length) parts.push("", "**Warnings:**", "", ...load.warnings.map((warning) => `- ${warning}`));
  if (load.appLog.errorLines.length)
    parts.push(
      "",
      "The app's own error lines during the load (first 5):",
      "",
      "```",
      ...load.appLog.errorLines.slice(0, 5),
      "```",
    );
  if (load.anomalies.length)
    parts.push(
      "",
      "Anomalies (first 10):",
      "",
      ...load.anomalies.slice(0, 10).map((a) => `- ${a.replace(/\|/g, "\\|")}`),
    );
  return parts.join("\n");
}
