// bench/REPORT.md, rendered from the figures of the last `npm run bench` (results/latest.json) and
// the last `npm run load` (results/load.json); each script re-renders it after writing its own.
// The budgets table is also what `npm run bench` prints.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BudgetResult, OPERATIONS, type OperationId, operationLabel, type Unit } from "./budgets.ts";
import type { BundleMeasure, Share, StartupMeasure } from "./bundle.ts";
import type { LatencyResults } from "./latency.ts";
import { type LoadTestResults, renderLoadSection } from "./load-report.ts";
import { kib, ms, provenance, table } from "./markdown.ts";
import type { OverheadResult, VerifyResult } from "./overhead.ts";
import type { Weight } from "./page-weight.ts";
import type { RoundTripResults, Way } from "./round-trips.ts";
import { type RunInfo, root, writeResult } from "./run-context.ts";
import { median } from "./stats.ts";

export interface BenchResults {
  run: RunInfo & { mode: "full" | "check"; wrangler: string | null };
  budgets: BudgetResult[];
  roundTrips: RoundTripResults | null;
  latency: LatencyResults | null;
  authOverhead: OverheadResult | null;
  verify: VerifyResult | null;
  bundle: BundleMeasure | null;
  startup: StartupMeasure | null;
  pageWeight: { js: Weight; css: Weight } | null;
  /** Phases that failed, with why; their figures are missing. */
  errors: string[];
}

const WAY: Record<Way, string> = { jwt: "edge way (JWT)", session: "common way (getSession)" };
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "—");
const notMeasured = (title: string) => `${title}\n\nNot measured in this run.`;

function formatValue(value: number, unit: Unit): string {
  if (unit === "bytes") return kib(value);
  if (unit === "ms") return `${value.toFixed(1)} ms`;
  if (unit === "ratio") return value.toFixed(2);
  if (unit === "yes/no") return value ? "yes" : "no";
  return String(value);
}

/** One row per budget: the figure, its limit, and whether `bench:check` gates it. */
export function budgetTable(budgets: readonly BudgetResult[]): string {
  const status = { pass: "pass", fail: "**FAIL**", missing: "**not measured**", "not measured": "not measured" };
  const rows = budgets.map((b) => [
    b.label,
    b.value === null ? "—" : formatValue(b.value, b.unit),
    b.unit === "yes/no" ? formatValue(b.limit, b.unit) : `${b.min ? "≥" : "≤"} ${formatValue(b.limit, b.unit)}`,
    b.gated || b.status !== "fail" ? status[b.status] : b.min ? "below budget" : "over budget",
    b.gated ? "gated" : "timing: reported only",
  ]);
  return table(["figure", "measured", "budget", "status", "bench:check"], rows);
}

function roundTripSection({ roundTrips: rt }: BenchResults): string {
  const title = "## 1. Database round trips per operation";
  if (!rt) return notMeasured(title);
  const rows = rt.rows
    .filter((row) => row.variant === "jwt")
    .map((row) => {
      const common = rt.rows.find((r) => r.variant === "session" && r.op === row.op);
      const extra = common ? `${common.roundTrips} (+${common.roundTrips - row.roundTrips})` : "—";
      return [operationLabel(row.op), `**${row.roundTrips}**`, extra, String(row.statements)];
    });
  const statements = rt.rows.map((row) => {
    const list = row.sql.map((s, i) => `  ${i + 1}. \`${s.replace(/`/g, "'")}\``);
    return [`- ${operationLabel(row.op)}, ${WAY[row.variant]}: ${row.roundTrips} round trip(s)`, ...list].join("\n");
  });
  return [
    title,
    "",
    "Counted by the local SQL endpoint (`GET /__stats`), one request at a time, after a warm-up (the first request of an isolate also loads Better Auth and the public keys). The common way is the same handlers behind Better Auth's `getSession` from the session cookie (bench-only routes in `bench/worker.ts`).",
    "",
    table(["operation", "edge way (JWT)", "common way (getSession)", "statements"], rows),
    "",
    "<details><summary>Statements sent per operation (first 80 characters, from the endpoint's log)</summary>",
    "",
    statements.join("\n"),
    "",
    "</details>",
  ].join("\n");
}

function latencySection({ latency: lat, roundTrips }: BenchResults): string {
  if (!lat) return notMeasured("## 2. Latency at edge distance");
  const order = (op: OperationId, variant: Way) =>
    OPERATIONS.findIndex((o) => o.id === op) * 2 + (variant === "jwt" ? 0 : 1);
  const rows = [...lat.rows]
    .sort((a, b) => order(a.op, a.variant) - order(b.op, b.variant))
    .map(({ op, variant, load }) => {
      const trips = roundTrips?.rows.find((r) => r.op === op && r.variant === variant)?.roundTrips;
      const floor = trips === undefined ? Number.NaN : trips * lat.delayMs;
      const { p50Ms, p95Ms, p99Ms } = load.latency;
      return [
        operationLabel(op),
        WAY[variant],
        trips === undefined ? "—" : String(trips),
        ms(floor),
        ms(p50Ms),
        ms(p95Ms),
        ms(p99Ms),
        [p50Ms, p95Ms, p99Ms].map((p) => times(p / floor)).join(" / "),
        load.rps.toFixed(0),
        `${load.requests}${load.failures ? ` (**${load.failures} failed**)` : ""}`,
      ];
    });
  return [
    `## 2. Latency at edge distance (${lat.delayMs} ms per round trip, ${lat.connections} concurrent connections)`,
    "",
    `The SQL endpoint holds every round trip ${lat.delayMs} ms before answering. Each operation runs for ${lat.seconds} s under autocannon (delete: once per todo created in the create phase). The floor is round trips × ${lat.delayMs} ms; "÷ floor" near 1× means the time is distance to the database, above it is work in the Worker and queueing (sign-up and sign-in spend ~100–200 ms of CPU each in scrypt, so ${lat.connections} concurrent ones queue).`,
    "",
    table(
      ["operation", "way", "round trips", "floor", "p50", "p95", "p99", "p50 / p95 / p99 ÷ floor", "req/s", "requests"],
      rows,
    ),
  ].join("\n");
}

function overheadSection({ authOverhead: o }: BenchResults): string {
  if (!o) return notMeasured("## 3. Auth overhead");
  const list = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(", ");
  const row = (label: string, pair: OverheadResult["list"]) => [
    label,
    list(pair.withJwtRps),
    list(pair.bypassedRps),
    list(pair.ratios, 2),
    `**${pair.ratio.toFixed(2)}** (${Math.min(...pair.ratios).toFixed(2)}–${Math.max(...pair.ratios).toFixed(2)})`,
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
    `For reference, the production \`GET /api/todos\` (its chain adds CORS and the body limit): ${list(o.productionRps)} req/s per round.${o.failures ? ` **${o.failures} requests failed.**` : ""}`,
  ].join("\n");
}

function verifySection({ verify: v }: BenchResults): string {
  if (!v) return notMeasured("## 4. JWT verification cost");
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
          `${times(v.importUs / v.cachedUs)} the cached cost`,
        ],
      ],
    ),
    "",
    "Without the cache a request would also have to read the keys from the database: one more round trip on every API call.",
  ].join("\n");
}

function shareTable(shares: Share[], format: (value: number) => string, unit: string): string {
  const total = shares.reduce((sum, s) => sum + s.value, 0);
  const rows = shares.map((s) => [
    s.name.replace(/\|/g, "\\|"),
    format(s.value),
    `${((s.value / total) * 100).toFixed(0)} %`,
  ]);
  return table(["package", unit, "share"], rows);
}

function coldStartSection({ bundle, startup, roundTrips }: BenchResults): string {
  const parts = ["## 5. Cold start", ""];
  if (bundle) {
    const imports = bundle.startupImports.map((m) => `\`${m}\``).join(", ");
    parts.push(
      `Bundle of the production config (\`wrangler.toml\`, from \`wrangler deploy --dry-run\`): **${kib(bundle.gzipBytes)} gzip**, ${kib(bundle.rawBytes)} raw. Modules it imports at startup besides \`cloudflare:workers\`: ${imports || "none"}.`,
    );
    if (bundle.byPackage.length)
      parts.push(
        "",
        "<details><summary>Bundle bytes by package (of the unminified build: minifying shrinks every package, not the same share of each)</summary>",
        "",
        shareTable(bundle.byPackage, kib, "raw bytes"),
        "",
        "</details>",
      );
  } else parts.push("Bundle not measured in this run.");
  parts.push("");
  if (startup) {
    parts.push(
      `Startup CPU (\`wrangler check startup\`, "Active", median of ${startup.runs.length} runs: ${startup.runs.map((r) => r.toFixed(1)).join(", ")} ms): **${ms(startup.activeMs)}**.`,
      "",
      "It is the CPU of evaluating the Worker's modules. Route groups, the database driver and Better Auth load on the first request that needs them, so that request pays for them once per isolate instead. workerd compiles the bundle when it creates the Worker, before this profile starts: that part of a cold start grows with the bundle size.",
      "",
      "Where the startup CPU goes (self time by package, from one run of the unminified build, whose module comments name the packages; a library that builds schemas at module scope shows up as the schema library):",
      "",
      shareTable(startup.byPackage, ms, "startup CPU"),
    );
  } else parts.push("Startup not measured in this run.");
  if (roundTrips) {
    const { signInMs, signUpMs } = roundTrips;
    parts.push(
      "",
      `Sign-in with native scrypt, one at a time at 0 ms database delay: median **${ms(median(signInMs))}** (${signInMs.map((m) => m.toFixed(0)).join(", ")} ms); sign-up: median ${ms(median(signUpMs))}.`,
    );
  }
  return parts.join("\n");
}

function pageWeightSection({ pageWeight: page }: BenchResults): string {
  if (!page) return notMeasured("## 6. Page weight");
  const row = (kind: string, w: Weight) => [
    kind,
    w.files.map((f) => `\`${f}\``).join(", ") || "none",
    kib(w.rawBytes),
    kib(w.gzipBytes),
  ];
  return [
    "## 6. Page weight",
    "",
    "What the built `index.html` loads before first render: module scripts, modulepreloads and stylesheets, each gzip -9 on its own. Lazy-loaded page chunks are not initial and not counted.",
    "",
    table(["kind", "files", "raw", "gzip"], [row("JavaScript", page.js), row("CSS", page.css)]),
  ].join("\n");
}

export function renderMarkdown(results: BenchResults, load: LoadTestResults | null): string {
  const { run } = results;
  const header = [
    "# Benchmarks",
    "",
    `${provenance("npm run bench", run)} wrangler ${run.wrangler ?? "?"}. Raw figures: [results/latest.json](results/latest.json).`,
    "",
    "Everything runs locally: `wrangler dev` (workerd) with the bench Worker (`bench/worker.ts`: the production app plus bench-only comparison routes) and the local Neon-compatible SQL endpoint on PGlite. Counts and sizes are the same on any machine; timings depend on the one that ran them. `npm run bench:check` (CI) fails when a count or a size breaks its budget and only reports timings.",
  ];
  if (run.loadAverage.max > run.cpus)
    header.push(
      "",
      `**Timings are inflated:** the load average reached ${run.loadAverage.max.toFixed(1)} on ${run.cpus} CPUs during the run (other work shared them). Counts and sizes are unaffected.`,
    );
  if (results.errors.length)
    header.push(
      "",
      "**Errors in this run:**",
      "",
      ...results.errors.map((e) => `- ${e.split("\n")[0]!.replace(/\|/g, "\\|")}`),
    );
  return `${[
    header.join("\n"),
    `## Budgets\n\n${budgetTable(results.budgets)}`,
    roundTripSection(results),
    latencySection(results),
    overheadSection(results),
    verifySection(results),
    coldStartSection(results),
    pageWeightSection(results),
    renderLoadSection(load),
  ].join("\n\n")}\n`;
}

/** Renders bench/REPORT.md from the result files there are; without the bench's, there is no report. */
export function writeReport(): void {
  const read = <T>(name: string) => {
    const path = join(root, "bench/results", name);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;
  };
  const bench = read<BenchResults>("latest.json");
  if (bench) writeResult(join(root, "bench/REPORT.md"), renderMarkdown(bench, read<LoadTestResults>("load.json")));
  else console.log("bench/results/latest.json is missing: run `npm run bench` to render bench/REPORT.md");
}
