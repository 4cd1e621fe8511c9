// `npm run bench`: every measurement in one run against the local stack; writes
// bench/results/latest.json and bench/REPORT.md. `npm run bench:check` (--check): only the stable
// figures (round-trip counts, bundle bytes, page weight), no load; exits 1 when one breaks its
// budget (bench/lib/budgets.ts). Timings are printed, never gated.
//
// Settings (environment): BENCH_PORT (8792), BENCH_SECONDS per load phase (4), BENCH_CONNECTIONS (4),
// BENCH_DELAY_MS per round trip for the latency phase (20).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BenchClient } from "./lib/api.ts";
import { broken, evaluateBudgets } from "./lib/budgets.ts";
import { measureBundle, measureStartup } from "./lib/bundle.ts";
import { measureLatency } from "./lib/latency.ts";
import { measureAuthOverhead, measureVerify } from "./lib/overhead.ts";
import { measurePageWeight } from "./lib/page-weight.ts";
import { type BenchResults, budgetTable, writeReport } from "./lib/report.ts";
import { measureRoundTrips, roundTripFigures } from "./lib/round-trips.ts";
import { intSetting, root, startRun, writeResult } from "./lib/run-context.ts";
import { bundleWorker, runCommand, startStack, tail } from "./lib/stack.ts";
import { median } from "./lib/stats.ts";

const checkOnly = parseArgs({ options: { check: { type: "boolean", default: false } } }).values.check;
const settings = {
  port: intSetting("BENCH_PORT", 8792),
  seconds: intSetting("BENCH_SECONDS", 4),
  connections: intSetting("BENCH_CONNECTIONS", 4),
  delayMs: intSetting("BENCH_DELAY_MS", 20, 0),
};

const run = startRun("bench");
const { log, tmp } = run;
const errors: string[] = [];
/** Runs one measurement; a failure is recorded and leaves its figures missing, the rest goes on. */
async function phase<T>(name: string, measure: () => Promise<T>): Promise<T | null> {
  log(name);
  try {
    return await measure();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${name}: ${message}`);
    console.error(`[bench] ${name} failed: ${message}`);
    return null;
  }
}

const measured: Omit<BenchResults, "run" | "budgets" | "errors"> = {
  roundTrips: null,
  latency: null,
  authOverhead: null,
  verify: null,
  bundle: null,
  startup: null,
  pageWeight: null,
};
try {
  // Static measurements first, while nothing else of ours competes for the CPU. The web app is
  // built from the tree as it is now, as a web/dist left from an older build would not say what
  // this code weighs; the stack serves the same build.
  const webDist = join(tmp, "web-dist");
  measured.pageWeight = await phase("page weight (vite build of web/)", async () => {
    const args = ["build", "--config", "web/vite.config.ts", "--outDir", webDist, "--logLevel", "warn"];
    const build = await runCommand("vite", args, { cwd: root });
    if (build.code !== 0) throw new Error(`vite ${args.join(" ")} failed:\n${tail(build.output)}`);
    return measurePageWeight(webDist);
  });
  // The by-package views need module comments, which only an unminified build of the same code has.
  const unminified = checkOnly
    ? null
    : await phase(
        "Worker bundle, unminified (for the by-package views)",
        async () => (await bundleWorker(root, join(tmp, "unminified"), ["--minify=false"])).source,
      );
  measured.bundle = await phase("Worker bundle (wrangler deploy --dry-run, production config)", () =>
    measureBundle(root, join(tmp, "bundle"), unminified ?? undefined),
  );
  if (unminified)
    measured.startup = await phase("startup CPU (wrangler check startup)", () => measureStartup(root, tmp, unminified));

  const stack = await phase("starting the stack", () =>
    startStack({
      root,
      tmpDir: tmp,
      port: settings.port,
      config: "bench/wrangler.toml",
      assets: webDist,
      sqlLog: true,
      // The Worker's request log would cost throughput in the load phases.
      logLevel: "warn",
      log,
    }),
  );
  if (stack) {
    run.onCleanup(stack.stop);
    const client = new BenchClient(stack.baseUrl);
    measured.roundTrips = await phase("DB round trips per operation", () => measureRoundTrips(client, stack.sql));
    if (!checkOnly) {
      const { delayMs, connections, seconds } = settings;
      measured.latency = await phase(`latency at edge distance (${delayMs} ms per round trip)`, () =>
        measureLatency(client, stack.sql, { delayMs, connections, seconds, log }),
      );
      const who = await phase("user for the overhead and verify phases", async () => {
        const identity = await client.newIdentity("overhead");
        const headers = { Authorization: `Bearer ${identity.token}` };
        for (let i = 0; i < 10; i++)
          await client.expect(201, "POST", "/api/todos", { headers, body: { title: `todo ${i}` } });
        return identity;
      });
      if (who) {
        measured.authOverhead = await phase("auth overhead (JWT vs bypassed)", () =>
          measureAuthOverhead(client, who, { connections, seconds: 2, rounds: 5, log }),
        );
        measured.verify = await phase("JWT verification microbenchmark", () => measureVerify(client, who.token));
      }
    }
  }
} finally {
  await run.cleanup();
}

const { bundle } = measured;
const budgets = evaluateBudgets({
  ...(measured.roundTrips && roundTripFigures(measured.roundTrips)),
  "bundle.gzipBytes": bundle?.gzipBytes,
  "bundle.nativeScrypt": bundle && Number(bundle.nativeScrypt),
  "bundle.startupImports": bundle?.startupImports.length,
  "pageWeight.jsGzipBytes": measured.pageWeight?.js.gzipBytes,
  "startup.activeMs": measured.startup?.activeMs,
  "authOverhead.ratio": measured.authOverhead?.list.ratio,
});
const wrangler = execFileSync("wrangler", ["--version"], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1);
const results: BenchResults = {
  run: { ...run.info(), mode: checkOnly ? "check" : "full", wrangler: wrangler ?? null },
  budgets,
  ...measured,
  errors,
};
if (!checkOnly) {
  writeResult(join(root, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeReport();
}

// bench:check measures no timings: leave their empty rows out.
const shown = checkOnly ? budgets.filter((b) => b.status !== "not measured") : budgets;
console.log(
  `\nBudgets (${checkOnly ? "bench:check" : "bench"}, ${results.run.durationSeconds.toFixed(0)} s):\n\n${budgetTable(shown)}`,
);
if (measured.roundTrips) {
  const { signInMs, signUpMs } = measured.roundTrips;
  console.log(
    `\nTimings (reported only): sign-in ${median(signInMs).toFixed(0)} ms, sign-up ${median(signUpMs).toFixed(0)} ms (sequential, 0 ms DB delay)`,
  );
}
if (!checkOnly) console.log("Report: bench/REPORT.md  Figures: bench/results/latest.json");
if (errors.length) console.error(`\n${errors.length} phase(s) failed:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
const failures = broken(budgets);
if (failures.length) console.error(`\n${failures.length} budget(s) broken: ${failures.map((b) => b.label).join("; ")}`);
process.exit(failures.length || (checkOnly && errors.length) ? 1 : 0);
