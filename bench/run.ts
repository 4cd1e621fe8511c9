// `npm run bench`: every measurement of issue 5 in one run against the local stack; writes
// bench/results/latest.json, bench/results/latency.svg and bench/REPORT.md.
// `npm run bench:check` (--check): only the stable figures (round-trip counts, bundle bytes, page
// weight), no load; exits 1 when one breaks its budget. Timings are printed, never gated.
//
// Settings (environment): BENCH_PORT (8792), BENCH_SECONDS per load phase (4), BENCH_CONNECTIONS (4),
// BENCH_DELAY_MS per round trip for the latency phase (20).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BenchClient } from "./lib/api.ts";
import { describeResult, evaluateBudgets, gatedFailures } from "./lib/budgets.ts";
import { renderLatencySvg } from "./lib/chart.ts";
import { type BundleMeasure, configMinifies, measureBundle, measureStartup, STARTUP_RUNS } from "./lib/cold-start.ts";
import { measureLatency } from "./lib/latency.ts";
import { measureAuthOverhead, measureVerify } from "./lib/overhead.ts";
import { measurePageWeight } from "./lib/page-weight.ts";
import { runCommand, tail } from "./lib/processes.ts";
import { renderBudgetLines, renderMarkdown } from "./lib/report.ts";
import type { BenchResults, LoadTestResults } from "./lib/results.ts";
import { measureRoundTrips, roundTripFigures } from "./lib/round-trips.ts";
import { type Stack, startStack } from "./lib/stack.ts";
import { mean, median } from "./lib/stats.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
// wrangler's shebang runs whatever `node` is first on PATH: make it the pinned Node 22.
process.env.PATH = `${root}/node_modules/.bin:${process.env.PATH ?? ""}`;

const { values: args } = parseArgs({ options: { check: { type: "boolean", default: false } } });
const checkOnly = args.check;

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

const settings = {
  port: intSetting("BENCH_PORT", 8792),
  loadSeconds: intSetting("BENCH_SECONDS", 4),
  connections: intSetting("BENCH_CONNECTIONS", 4),
  edgeDelayMs: intSetting("BENCH_DELAY_MS", 20),
  overheadSeconds: 2,
  overheadRounds: 5,
};

const started = performance.now();
// Other work on the machine inflates timings: keep the 1-minute load average over the run.
const loadSamples = [loadavg()[0] ?? 0];
const loadSampler = setInterval(() => loadSamples.push(loadavg()[0] ?? 0), 2000);
loadSampler.unref();
const log = (message: string) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
const tmp = mkdtempSync(join(tmpdir(), "edge-todo-bench-"));
let stack: Stack | undefined;

async function cleanup(): Promise<void> {
  const current = stack;
  stack = undefined;
  if (current) await current.stop();
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench stack`);
    void cleanup().finally(() => process.exit(130));
  });
}

function git(...gitArgs: string[]): string | null {
  try {
    return execFileSync("git", gitArgs, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function wranglerVersion(): string | null {
  try {
    return execFileSync("wrangler", ["--version"], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1) ?? null;
  } catch {
    return null;
  }
}

const errors: string[] = [];
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  log(name);
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${name}: ${message}`);
    console.error(`[bench] ${name} failed: ${message}`);
    return null;
  }
}

const withoutSource = (measure: (BundleMeasure & { source: string }) | null): BundleMeasure | null => {
  if (!measure) return null;
  const { source: _source, ...rest } = measure;
  return rest;
};

const results: BenchResults = {
  meta: {
    generatedAt: new Date().toISOString(),
    mode: checkOnly ? "check" : "full",
    commit: git("rev-parse", "HEAD"),
    dirty: Boolean(git("status", "--porcelain")),
    node: process.version,
    wrangler: wranglerVersion(),
    cpus: cpus().length,
    loadAverage: { start: loadSamples[0] ?? 0, max: 0, mean: 0 },
    durationSeconds: 0,
    settings: {
      edgeDelayMs: settings.edgeDelayMs,
      connections: settings.connections,
      loadSeconds: settings.loadSeconds,
      overheadSeconds: settings.overheadSeconds,
      overheadRounds: settings.overheadRounds,
    },
  },
  roundTrips: null,
  latency: null,
  authOverhead: null,
  verify: null,
  coldStart: { bundle: null, minifiedBundle: null, startup: null, signInMs: [], signUpMs: [] },
  pageWeight: null,
  budgets: [],
  errors,
};

try {
  // Static measurements first, while nothing else of ours competes for the CPU.
  // The web app built from the tree as it is now (a web/dist left from an older build would not
  // say what this code weighs); the stack serves the same build.
  const webDist = join(tmp, "web-dist");
  results.pageWeight = await phase("page weight (vite build of web/)", async () => {
    const args = ["build", "--config", "web/vite.config.ts", "--outDir", webDist, "--logLevel", "warn"];
    const build = await runCommand("vite", args, { cwd: root });
    if (build.code !== 0) throw new Error(`vite ${args.join(" ")} failed:\n${tail(build.output)}`);
    const weight = measurePageWeight(webDist);
    return { ...weight, html: "web/dist/index.html" };
  });
  const bundle = await phase("Worker bundle (wrangler deploy --dry-run, production config)", () =>
    measureBundle(root, join(tmp, "bundle")),
  );
  results.coldStart.bundle = withoutSource(bundle);
  if (!checkOnly) {
    // The other build of the two: minified for comparison, or unminified for the by-package views.
    const twin = await phase(
      configMinifies(root)
        ? "Worker bundle, unminified (for the by-package views)"
        : "Worker bundle, minified (for comparison)",
      () => measureBundle(root, join(tmp, "bundle-twin"), { minify: !configMinifies(root) }),
    );
    if (twin && !configMinifies(root)) results.coldStart.minifiedBundle = withoutSource(twin);
    const deployed = withoutSource(bundle);
    if (deployed && twin && configMinifies(root)) results.coldStart.bundle = { ...deployed, byPackage: twin.byPackage };
    const unminified = configMinifies(root) ? twin : bundle;
    if (unminified) {
      results.coldStart.startup = await phase(`startup CPU (wrangler check startup, ${STARTUP_RUNS} runs)`, () =>
        measureStartup(root, tmp, unminified.source),
      );
    }
  }

  stack =
    (await phase("starting the stack", () =>
      startStack({ root, tmpDir: tmp, port: settings.port, assets: webDist, log }),
    )) ?? undefined;
  if (stack) {
    const client = new BenchClient(stack.baseUrl);
    const sql = stack.sql;
    const roundTrips = await phase("DB round trips per operation", () => measureRoundTrips(client, sql));
    results.roundTrips = roundTrips;
    if (roundTrips) {
      results.coldStart.signInMs = roundTrips.signInMs;
      results.coldStart.signUpMs = roundTrips.signUpMs;
    }
    if (!checkOnly) {
      results.latency = await phase(
        `latency at edge distance (${settings.edgeDelayMs} ms per round trip)`,
        async () => ({
          delayMs: settings.edgeDelayMs,
          connections: settings.connections,
          seconds: settings.loadSeconds,
          rows: await measureLatency(client, sql, roundTrips?.rows ?? [], {
            delayMs: settings.edgeDelayMs,
            connections: settings.connections,
            seconds: settings.loadSeconds,
            seedTodos: 10,
            log,
          }),
        }),
      );
      const who = await phase("user for the overhead and verify phases", async () => {
        const identity = await client.newIdentity("overhead");
        for (let i = 0; i < 10; i++) {
          await client.expect(201, "POST", "/api/todos", {
            headers: { Authorization: `Bearer ${identity.token}` },
            body: { title: `todo ${i}` },
          });
        }
        return identity;
      });
      if (who) {
        results.authOverhead = await phase("auth overhead (JWT vs bypassed)", () =>
          measureAuthOverhead(client, who, {
            connections: settings.connections,
            seconds: settings.overheadSeconds,
            rounds: settings.overheadRounds,
            log,
          }),
        );
        results.verify = await phase("JWT verification microbenchmark", () => measureVerify(client, who.token));
      }
    }
  }
} finally {
  await cleanup();
}

const bundleScrypt = results.coldStart.bundle?.scrypt ?? null;
results.budgets = evaluateBudgets({
  ...(results.roundTrips ? roundTripFigures(results.roundTrips) : {}),
  "bundle.gzipBytes": results.coldStart.bundle?.gzipBytes,
  "bundle.startupImports": results.coldStart.bundle?.startupImports.length,
  "bundle.nativeScrypt": bundleScrypt === null ? null : bundleScrypt.nativeNodeCrypto && !bundleScrypt.pureJs ? 1 : 0,
  "pageWeight.jsGzipBytes": results.pageWeight?.js.gzipBytes,
  "startup.activeMs": results.coldStart.startup?.activeMs,
  "authOverhead.ratio": results.authOverhead?.ratio,
});
results.meta.durationSeconds = (performance.now() - started) / 1000;
clearInterval(loadSampler);
results.meta.loadAverage = { start: loadSamples[0] ?? 0, max: Math.max(...loadSamples), mean: mean(loadSamples) };

if (!checkOnly) {
  const write = (path: string, text: string) => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };
  write(join(root, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  write(join(root, "bench/results/latency.svg"), renderLatencySvg(results.latency?.rows ?? []));
  // The load test's figures come from its own run (`npm run load`); keep its section.
  const loadJson = join(root, "bench/results/load.json");
  const load = existsSync(loadJson) ? (JSON.parse(readFileSync(loadJson, "utf8")) as LoadTestResults) : null;
  write(join(root, "bench/REPORT.md"), renderMarkdown(results, load));
}

console.log(`\nBudgets (${checkOnly ? "bench:check" : "bench"}, ${results.meta.durationSeconds.toFixed(0)} s):`);
// bench:check measures no timings: leave their empty lines out.
const shown = checkOnly ? results.budgets.filter((b) => b.status !== "not measured") : results.budgets;
for (const line of renderBudgetLines(shown)) console.log(`  ${line}`);
if (results.coldStart.signInMs.length) {
  console.log(
    `Timings (reported only): sign-in ${median(results.coldStart.signInMs).toFixed(0)} ms, sign-up ${median(results.coldStart.signUpMs).toFixed(0)} ms (sequential, 0 ms DB delay)`,
  );
}
if (!checkOnly) console.log("Report: bench/REPORT.md  Figures: bench/results/latest.json");

const failures = gatedFailures(results.budgets);
if (errors.length) console.error(`\n${errors.length} phase(s) failed:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
if (failures.length) {
  console.error(`\n${failures.length} budget(s) broken:`);
  for (const failure of failures) console.error(`  - ${describeResult(failure)}`);
}
process.exit(failures.length || (checkOnly && errors.length) ? 1 : 0);
