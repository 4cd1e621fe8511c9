// Renders bench results as Markdown (bench/REPORT.md) and the console summary. Pure functions: the
// same results always give the same text, so the report diffs cleanly in review.
import {
  type BudgetResult,
  describeResult,
  formatBytes,
  formatLimit,
  formatValue,
  OPERATIONS,
  operationLabel,
} from "./budgets.ts";
import type { LatencyRow } from "./latency.ts";
import { renderLoadSection } from "./load-report.ts";
import type { BenchResults, LoadTestResults } from "./results.ts";
import { median } from "./stats.ts";

const STATUS_MARK: Record<BudgetResult["status"], string> = {
  pass: "✅ pass",
  fail: "❌ **fail**",
  missing: "❌ **not measured**",
  "not measured": "— not measured",
};

const WAY = { jwt: "edge way (JWT)", session: "common way (getSession)" } as const;

export function fmtMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined || Number.isNaN(ms) ? "—" : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function fmtTimes(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? "—" : `${x.toFixed(2)}×`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function escapeMd(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function budgetsSection(results: BenchResults): string {
  const rows = results.budgets.map((b) => [
    b.label,
    formatValue(b.value, b.unit),
    formatLimit(b),
    STATUS_MARK[b.status],
    b.gated ? "yes" : "no (timing)",
  ]);
  return `## Budgets\n\n${table(["figure", "measured", "budget", "status", "gated by bench:check"], rows)}`;
}

function roundTripSection(results: BenchResults): string {
  const rt = results.roundTrips;
  if (!rt) return "## 1. Database round trips per operation\n\nNot measured (see errors).";
  const edge = rt.rows.filter((r) => r.variant === "jwt");
  const rows = edge.map((row) => {
    const common = rt.rows.find((r) => r.variant === "session" && r.op === row.op);
    return [
      operationLabel(row.op),
      `**${row.roundTrips}**`,
      common ? `${common.roundTrips} (+${common.roundTrips - row.roundTrips})` : "—",
      String(row.statements),
    ];
  });
  const statements = rt.rows
    .map((row) => {
      const list = row.sql.length
        ? row.sql.map((s, i) => `    ${i + 1}. \`${s.replace(/`/g, "'")}\``).join("\n")
        : "    (none)";
      return `- ${operationLabel(row.op)}, ${WAY[row.variant]}: ${row.roundTrips} round trip(s)\n${list}`;
    })
    .join("\n");
  return [
    "## 1. Database round trips per operation",
    "",
    "Counted by the local SQL endpoint (`GET /__stats`), one request at a time, after a warm-up (the first request of an isolate also loads Better Auth and the public keys). The common way is the same todo handlers behind Better Auth's `getSession` from the session cookie (bench-only routes in `bench/worker.ts`).",
    "",
    table(["operation", "edge way (JWT)", "common way (getSession)", "statements"], rows),
    "",
    "<details><summary>Statements sent per operation (first 80 characters, from the endpoint's log)</summary>",
    "",
    statements,
    "",
    "</details>",
  ].join("\n");
}

function latencyRowCells(row: LatencyRow): string[] {
  const l = row.load.latency;
  return [
    operationLabel(row.op),
    WAY[row.variant],
    row.roundTrips === null ? "—" : String(row.roundTrips),
    fmtMs(row.floorMs),
    fmtMs(l.p50Ms),
    fmtMs(l.p95Ms),
    fmtMs(l.p99Ms),
    `${fmtTimes(row.floorMultiples?.p50)} / ${fmtTimes(row.floorMultiples?.p95)} / ${fmtTimes(row.floorMultiples?.p99)}`,
    row.load.rps.toFixed(0),
    `${row.load.requests}${row.load.failures ? ` (**${row.load.failures} failed**)` : ""}`,
  ];
}

function latencySection(results: BenchResults): string {
  const lat = results.latency;
  if (!lat) return "## 2. Latency at edge distance\n\nNot measured (see errors).";
  const order = (row: LatencyRow) =>
    OPERATIONS.findIndex((op) => op.id === row.op) * 2 + (row.variant === "jwt" ? 0 : 1);
  const rows = [...lat.rows].sort((a, b) => order(a) - order(b)).map(latencyRowCells);
  return [
    `## 2. Latency at edge distance (${lat.delayMs} ms per round trip, ${lat.connections} concurrent connections)`,
    "",
    `The SQL endpoint holds every round trip ${lat.delayMs} ms before answering. Each operation runs for ${lat.seconds} s under autocannon (delete: once per todo created in the create phase). The floor is round trips × ${lat.delayMs} ms; "÷ floor" near 1× means the time is distance to the database, above it is work in the Worker and queueing (2 shared cores; sign-up and sign-in spend ~100–200 ms of CPU each in scrypt, so ${lat.connections} concurrent ones queue).`,
    "",
    "![p50 latency by operation, edge way vs common way, with p95 and the round-trip floor](results/latency.svg)",
    "",
    table(
      ["operation", "way", "round trips", "floor", "p50", "p95", "p99", "p50 / p95 / p99 ÷ floor", "req/s", "requests"],
      rows,
    ),
  ].join("\n");
}

function overheadSection(results: BenchResults): string {
  const o = results.authOverhead;
  if (!o) return "## 3. Auth overhead\n\nNot measured (see errors).";
  const list = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(", ");
  const row = (label: string, pair: typeof o.list) => [
    label,
    list(pair.withJwtRps),
    list(pair.bypassedRps),
    list(pair.ratios, 2),
    `**${pair.ratio.toFixed(2)}** (${pair.min.toFixed(2)}–${pair.max.toFixed(2)})`,
  ];
  return [
    "## 3. Auth overhead",
    "",
    `Requests/s at 0 ms database delay, ${o.connections} connections, ${o.rounds} rounds of ${o.seconds} s runs (GET me and the production route: ${Math.max(1, o.seconds / 2)} s). Each round measures the pair back to back (order alternating) in the same Worker, on the same chain (request id, config and DB context, handler); only the authentication differs. The figure is the median of the per-round ratios. The bypassed routes exist only in the bench Worker.`,
    "",
    table(
      ["handler", "req/s with JWT, per round", "req/s bypassed, per round", "ratio per round", "ratio (median, range)"],
      [row("GET todos (1 DB round trip)", o.list), row("GET me (no DB: the check's CPU alone)", o.me)],
    ),
    "",
    `**Auth overhead ratio (GET todos): ${o.list.ratio.toFixed(2)}**. For reference, the production \`GET /api/todos\` (its chain adds CORS and the body limit): ${list(o.productionRps)} req/s per round.${o.failures ? ` **${o.failures} requests failed.**` : ""}`,
  ].join("\n");
}

function verifySection(results: BenchResults): string {
  const v = results.verify;
  if (!v) return "## 4. JWT verification cost\n\nNot measured (see errors).";
  return [
    "## 4. JWT verification cost (inside workerd)",
    "",
    `\`verifyAccessToken\` (jose \`jwtVerify\`, EdDSA) ${v.iterations} times per request, timed from outside against a 0-iteration request, median of ${v.repetitions}; keys read from the database once, outside the loop.`,
    "",
    table(
      ["key set", "per verification", "comparison"],
      [
        ["cached at module scope (what `requireJwt` does)", `${v.cachedUs.toFixed(1)} µs`, "—"],
        [
          "imported again for every verification",
          `${v.importUs.toFixed(1)} µs`,
          `${fmtTimes(v.slowdown)} the cached cost`,
        ],
      ],
    ),
    "",
    "Without the cache a request would also have to read the keys from the database: one more round trip (20 ms at edge distance) on every API call.",
  ].join("\n");
}

function shareTable(shares: { name: string; value: number }[], unit: "bytes" | "ms"): string {
  const total = shares.reduce((sum, s) => sum + s.value, 0);
  return table(
    ["package", unit === "bytes" ? "raw bytes" : "startup CPU", "share"],
    shares.map((s) => [
      escapeMd(s.name),
      unit === "bytes" ? formatBytes(s.value) : fmtMs(s.value),
      `${((s.value / total) * 100).toFixed(0)} %`,
    ]),
  );
}

function coldStartSection(results: BenchResults): string {
  const { bundle, minifiedBundle, startup, signInMs, signUpMs } = results.coldStart;
  const parts = ["## 5. Cold start", ""];
  if (bundle) {
    const rows = [
      [
        `production config (\`wrangler.toml\`${bundle.minified ? ", minified" : ", not minified"})`,
        formatBytes(bundle.rawBytes),
        formatBytes(bundle.gzipBytes),
      ],
    ];
    if (minifiedBundle)
      rows.push([
        "the same with `--minify`",
        formatBytes(minifiedBundle.rawBytes),
        formatBytes(minifiedBundle.gzipBytes),
      ]);
    parts.push(
      "Bundle from `wrangler deploy --dry-run` (wrangler's `Total Upload` figures):",
      "",
      table(["build", "raw", "gzip"], rows),
      "",
      `Modules imported at startup besides \`cloudflare:workers\` (loaded at every start): ${bundle.startupImports.length ? `**${bundle.startupImports.map((m) => `\`${m}\``).join(", ")}**` : "none"}.`,
      "",
      `Password hashing: ${bundle.scrypt.nativeNodeCrypto ? `native \`node:crypto\` scrypt is bundled (\`${bundle.scrypt.evidence}\`)` : "**node:crypto's scrypt is NOT bundled**"}; ${bundle.scrypt.pureJs ? "**a JavaScript scrypt is bundled too**" : "no JavaScript scrypt in the bundle"}.`,
    );
    if (bundle.byPackage.length)
      parts.push(
        "",
        "<details><summary>Bundle bytes by package (of the unminified build: minifying shrinks every package, not the same share of each)</summary>",
        "",
        shareTable(bundle.byPackage, "bytes"),
        "",
        "</details>",
      );
  } else parts.push("Bundle not measured (see errors).");
  parts.push("");
  if (startup) {
    parts.push(
      `Startup CPU (\`wrangler check startup\`, "Active", median of ${startup.runs.length} runs: ${startup.runs.map((r) => r.toFixed(1)).join(", ")} ms): **${fmtMs(startup.activeMs)}**.`,
      "",
      "It is the CPU of evaluating the Worker's modules. Route groups, the database driver and Better Auth load on the first request that needs them, so that request pays for them once per isolate instead (README, Performance). workerd compiles the bundle when it creates the Worker, before this profile starts: that part of a cold start grows with the bundle size, which has its own budget above.",
    );
    if (startup.byPackage.length) {
      parts.push(
        "",
        "Where the startup CPU goes (self time by package, from one run of the unminified build, whose module comments name the packages; a library that builds schemas at module scope shows up as the schema library):",
        "",
        shareTable(startup.byPackage, "ms"),
      );
    }
  } else parts.push("Startup not measured in this run.");
  parts.push(
    "",
    `Sign-in with native scrypt, one at a time at 0 ms database delay: median **${fmtMs(median(signInMs))}** (${signInMs.map((m) => m.toFixed(0)).join(", ")} ms); sign-up: median ${fmtMs(median(signUpMs))}.`,
  );
  return parts.join("\n");
}

function pageWeightSection(results: BenchResults): string {
  const page = results.pageWeight;
  if (!page) return "## 6. Page weight\n\nNot measured (see errors).";
  const rows = (["js", "css"] as const).map((kind) => [
    kind === "js" ? "JavaScript" : "CSS",
    page[kind].files.map((f) => `\`${f.source}\``).join(", ") || "none",
    formatBytes(page[kind].rawBytes),
    formatBytes(page[kind].gzipBytes),
  ]);
  const notes = [];
  if (page.js.files.length === 0) notes.push("No JavaScript yet: `web/dist` holds the placeholder page.");
  if (page.skipped.length)
    notes.push(`Not measured (other origin or missing from dist): ${page.skipped.map((s) => `\`${s}\``).join(", ")}.`);
  return [
    "## 6. Page weight",
    "",
    "What `web/dist/index.html` loads before first render: module scripts, modulepreloads, stylesheets and inline blocks; each file gzip -9 on its own. Lazy-loaded page chunks are not initial and not counted.",
    "",
    table(["kind", "files", "raw", "gzip"], rows),
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}

/**
 * The whole report: `npm run bench`'s figures, and the load test's from its own file (`npm run
 * load` writes it and re-renders the report with the bench figures it finds; `npm run bench` keeps
 * the load section the same way). Without load results the section says how to get them.
 */
export function renderMarkdown(results: BenchResults, load: LoadTestResults | null = null): string {
  const m = results.meta;
  const header = [
    "# Benchmarks",
    "",
    `Generated by \`npm run bench\` on ${m.generatedAt.slice(0, 16).replace("T", " ")} UTC at commit ${m.commit ? `\`${m.commit.slice(0, 10)}\`` : "?"}${m.dirty ? " (with uncommitted changes)" : ""}; Node ${m.node}, wrangler ${m.wrangler ?? "?"}, ${m.cpus} CPUs (1-minute load average ${m.loadAverage.start.toFixed(2)} at start, up to ${m.loadAverage.max.toFixed(2)} during the run); the whole run took ${m.durationSeconds.toFixed(0)} s. Raw figures: [results/latest.json](results/latest.json).`,
    "",
    "Everything runs locally: `wrangler dev` (workerd) with the bench Worker (`bench/worker.ts`: the production app plus bench-only comparison routes) and the local Neon-compatible SQL endpoint on PGlite. Counts and sizes are the same on any machine; timings depend on this one. `npm run bench:check` (CI) fails when a count or a size breaks its budget and only reports timings.",
  ];
  if (m.loadAverage.max > m.cpus) {
    header.push(
      "",
      `**Timings are inflated:** the machine's load average reached ${m.loadAverage.max.toFixed(1)} on ${m.cpus} CPUs during the run (other work shared them). Counts and sizes are unaffected.`,
    );
  }
  if (results.errors.length)
    header.push(
      "",
      "**Errors in this run:**",
      "",
      ...results.errors.map((e) => `- ${escapeMd(e.split("\n")[0] ?? e)}`),
    );
  return `${[
    header.join("\n"),
    budgetsSection(results),
    roundTripSection(results),
    latencySection(results),
    overheadSection(results),
    verifySection(results),
    coldStartSection(results),
    pageWeightSection(results),
    renderLoadSection(load),
  ].join("\n\n")}\n`;
}

/** The console summary: one line per budget, broken ones first. */
export function renderBudgetLines(budgets: readonly BudgetResult[]): string[] {
  const order = { fail: 0, missing: 0, pass: 1, "not measured": 2 } as const;
  return [...budgets].sort((a, b) => order[a.status] - order[b.status]).map(describeResult);
}
