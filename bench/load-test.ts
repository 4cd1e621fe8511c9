// `npm run load`: the bounded load test of issue 4. Starts the app as `npm start` serves it (from a
// snapshot of the working tree, on its own port, a throwaway PGlite database, AUTH_RATE_LIMIT=off),
// signs up users, runs mixed reads and writes under autocannon while sampling the processes' memory,
// then checks that no write was lost: every user's todos listed through the API and the rows counted
// in the database against what the responses said (201s minus 204s). Writes bench/results/load.json and the "Load test" section of
// bench/REPORT.md. Exits 1 on any error or lost write; memory growth only warns, latency is reported.
//
// Settings (environment): LOAD_CONNECTIONS (50), LOAD_SECONDS (60), LOAD_USERS (10), LOAD_PORT (8794).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_TODOS_PER_USER } from "#contract";
import { BenchClient } from "./lib/api.ts";
import { scanAppLog } from "./lib/app-log.ts";
import { type AppServer, startApp } from "./lib/app-server.ts";
import { rowsInDatabase, rowsViaApi } from "./lib/load-verify.ts";
import { resolveUnanswered, runMixedLoad } from "./lib/mixed-load.ts";
import { renderMarkdown } from "./lib/report.ts";
import type { BenchResults, LoadTestResults } from "./lib/results.ts";
import {
  clockTicksPerSecond,
  cpuSeconds,
  judgeMemory,
  ROLE_LABEL,
  ROLES,
  type RssSampler,
  roleSeries,
  startRssSampler,
} from "./lib/rss.ts";
import { mean } from "./lib/stats.ts";
import { DEFAULT_MIX, type LoadUser, TodoLedger } from "./lib/todo-ledger.ts";
import { auditSummary, auditWrites, describeAudit } from "./lib/write-audit.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
// npm and wrangler's shebang run whatever `node` is first on PATH: make it the pinned Node 22.
process.env.PATH = `${root}/node_modules/.bin:${process.env.PATH ?? ""}`;

function intSetting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

const settings = {
  connections: intSetting("LOAD_CONNECTIONS", 50),
  seconds: intSetting("LOAD_SECONDS", 60),
  users: intSetting("LOAD_USERS", 10),
  port: intSetting("LOAD_PORT", 8794),
  // Headroom under the API's cap, so no create is refused for it (that would be a 409, an error here).
  maxLivePerUser: MAX_TODOS_PER_USER - 100,
};

const started = performance.now();
const log = (message: string) =>
  console.log(`[load ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
const loadSamples = [loadavg()[0] ?? 0];
const loadSampler = setInterval(() => loadSamples.push(loadavg()[0] ?? 0), 2000);
const tmp = mkdtempSync(join(tmpdir(), "edge-todo-load-"));
let app: AppServer | undefined;
let sampler: RssSampler | undefined;

async function cleanup(): Promise<void> {
  sampler?.stop();
  clearInterval(loadSampler);
  const current = app;
  app = undefined;
  if (current) await current.stop();
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the app`);
    void cleanup().finally(() => process.exit(130));
  });
}

function git(...args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

let results: LoadTestResults;
try {
  app = await startApp({
    root,
    port: settings.port,
    tmpDir: tmp,
    // All the load comes from one IP: with the limiter on, sign-ups past the 10th would get 429s.
    // (The snapshot has no .dev.vars: npm start makes a fresh one, so PUBLIC_BASE_URL is the default
    // http://localhost:PORT, the Origin our sign-ups send.)
    workerEnv: { AUTH_RATE_LIMIT: "off" },
    log,
    onSpawn: (server) => (app = server),
  });
  const client = new BenchClient(app.baseUrl);

  log(`signing up ${settings.users} users`);
  const users: LoadUser[] = [];
  for (let i = 0; i < settings.users; i++) {
    const who = await client.newIdentity(`load${i}`);
    users.push({ userId: who.userId, cookie: who.cookie, token: who.token });
  }
  const ledger = new TodoLedger(users, {
    maxLivePerUser: settings.maxLivePerUser,
    runId: `load-${Date.now().toString(36)}`,
  });

  sampler = startRssSampler(app.pid, settings.port);
  const logOffset = app.output().length;
  log(`load: ${settings.connections} connections for ${settings.seconds} s`);
  const loadStart = sampler.now();
  const load = await runMixedLoad(ledger, {
    baseUrl: app.baseUrl,
    connections: settings.connections,
    seconds: settings.seconds,
  });
  const loadEnd = sampler.now();
  const logEnd = app.output().length;
  log(`${load.overall.requests} requests, ${load.overall.rps.toFixed(0)} req/s, ${load.overall.failures} failed`);

  // Let requests still running in the app when autocannon hung up finish before replaying them.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const resolution = await resolveUnanswered(ledger, app.baseUrl);
  log(`checking the writes (${ledger.created.size} created, ${ledger.deleted.size} deleted)`);
  const viaApi = await rowsViaApi(app.baseUrl, ledger.users);
  const inDb = await rowsInDatabase(app.sqlUrl);
  const byUserId = (owner: number) => (ledger.users[owner] as LoadUser).userId;
  const created = new Map([...ledger.created].map(([id, owner]) => [id, byUserId(owner)]));
  const apiAudit = auditWrites({ created, deleted: ledger.deleted, found: viaApi.rows });
  const dbAudit = auditWrites({ created, deleted: ledger.deleted, found: inDb.rows });

  sampler.stop();
  const appLog = scanAppLog(app.output().slice(logOffset, logEnd));
  // The sampler started just before the load: its first sample is the RSS as the load begins.
  const inLoad = sampler.samples.filter((s) => s.t <= loadEnd + 0.5);
  const ticks = clockTicksPerSecond();
  const memory = Object.fromEntries(
    ROLES.map((role) => {
      const pids = [...new Set(inLoad.flatMap((s) => s.procs.filter((p) => p.role === role).map((p) => p.pid)))];
      return [role, { ...judgeMemory(roleSeries(inLoad, role)), pids, cpuSeconds: cpuSeconds(inLoad, role, ticks) }];
    }),
  ) as LoadTestResults["memory"];

  const failures: string[] = [];
  const warnings: string[] = [];
  const o = load.overall;
  if (o.failures) {
    const non2xx = Object.entries(o.statusCounts).filter(([status]) => !status.startsWith("2"));
    const statuses = non2xx.map(([status, n]) => `${n}× ${status}`).join(", ") || "no non-2xx";
    failures.push(
      `${o.failures} request(s) failed: ${statuses}; ${o.connectionErrors ?? 0} connection error(s), ${o.timeouts ?? 0} timeout(s)`,
    );
  }
  if (o.requests === 0) failures.push("no request was answered");
  if (ledger.anomalies.length)
    failures.push(`${ledger.anomalies.length} anomalies in the answers (first: ${ledger.anomalies[0]})`);
  if (resolution.failed.length)
    failures.push(
      `${resolution.failed.length} unanswered write(s) could not be resolved (first: ${resolution.failed[0]})`,
    );
  for (const [label, audit] of [
    ["API", apiAudit],
    ["database", dbAudit],
  ] as const) {
    if (!audit.ok)
      failures.push(
        `lost writes (${label}): expected ${audit.expected} rows, found ${audit.found}; ${describeAudit(audit).join("; ")}`,
      );
  }
  if (inDb.countStar !== inDb.rows.length)
    failures.push(`count(*) says ${inDb.countStar} rows but ${inDb.rows.length} were read`);
  for (const role of ROLES) {
    const v = memory[role];
    if (v.status === "not measured") warnings.push(`memory of ${ROLE_LABEL[role]} not measured: ${v.reason}`);
    if (v.status !== "growing") continue;
    // wrangler's proxy runs none of the app's code: when it grows alike, the growth is the runtime's.
    const proxy = memory.proxy;
    const control =
      role === "worker" && proxy.status === "growing"
        ? ` (wrangler's proxy, which runs none of the app's code, grew ${proxy.growthMiB.toFixed(0)} MiB too: this points at the local workerd, which grows per request served, rather than at the app)`
        : "";
    warnings.push(`memory of ${ROLE_LABEL[role]}: ${v.reason}${control}`);
  }
  if (appLog.reloads) {
    warnings.push(
      `wrangler reloaded the Worker ${appLog.reloads} time(s) during the load (a file it watches changed, e.g. a package in node_modules): figures include the reload`,
    );
  }

  clearInterval(loadSampler);
  results = {
    meta: {
      generatedAt: new Date().toISOString(),
      commit: git("rev-parse", "HEAD"),
      dirty: Boolean(git("status", "--porcelain")),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadSamples[0] ?? 0, max: Math.max(...loadSamples), mean: mean(loadSamples) },
      durationSeconds: 0,
      settings: {
        connections: settings.connections,
        seconds: settings.seconds,
        users: settings.users,
        maxLivePerUser: settings.maxLivePerUser,
        mix: { ...DEFAULT_MIX },
      },
    },
    overall: o,
    byKind: load.byKind,
    unanswered: load.unanswered,
    resolution,
    writes: {
      creates: ledger.created.size,
      deletes: ledger.deleted.size,
      api: auditSummary(apiAudit),
      db: { ...auditSummary(dbAudit), countStar: inDb.countStar },
    },
    memory,
    memorySeries: sampler.samples.map((s) => {
      const point = { t: Number(s.t.toFixed(1)) } as LoadTestResults["memorySeries"][number];
      for (const role of ROLES) {
        const procs = s.procs.filter((p) => p.role === role);
        point[role] = procs.length ? Number((procs.reduce((sum, p) => sum + p.kib, 0) / 1024).toFixed(1)) : null;
      }
      return point;
    }),
    loadWindow: { start: loadStart, end: loadEnd },
    appLog,
    anomalies: ledger.anomalies.slice(0, 100),
    failures,
    warnings,
  };
} catch (error) {
  await cleanup();
  console.error(
    `\nload test failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
}

log("stopping the app");
await cleanup();
results.meta.durationSeconds = (performance.now() - started) / 1000;

writeAtomically(join(root, "bench/results/load.json"), `${JSON.stringify(results, null, 2)}\n`);
// The report is rendered from both result files; without the bench's, only load.json is written.
const latestJson = join(root, "bench/results/latest.json");
if (existsSync(latestJson)) {
  const bench = JSON.parse(readFileSync(latestJson, "utf8")) as BenchResults;
  writeAtomically(join(root, "bench/REPORT.md"), renderMarkdown(bench, results));
} else {
  console.log("bench/results/latest.json is missing: run `npm run bench` to render bench/REPORT.md");
}

const o = results.overall;
const l = o.latency;
const w = results.writes;
console.log(`
Load test: ${settings.connections} connections × ${settings.seconds} s, ${settings.users} users (${results.meta.durationSeconds.toFixed(0)} s in all)
  requests   ${o.requests} answered, ${o.rps.toFixed(0)} req/s; statuses ${JSON.stringify(o.statusCounts)}; ${o.failures} failed
  latency    p50 ${l.p50Ms.toFixed(1)} ms, p95 ${l.p95Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(0)} ms (reported only)
  writes     ${w.creates} created, ${w.deletes} deleted → ${w.db.expected} rows expected; API lists ${w.api.found}, database has ${w.db.found} (count(*) ${w.db.countStar})
  memory     ${ROLES.map((r) => `${r} ${results.memory[r].startMiB.toFixed(0)}→${results.memory[r].peakMiB.toFixed(0)}→${results.memory[r].endMiB.toFixed(0)} MiB (${results.memory[r].status}, ${results.memory[r].cpuSeconds.toFixed(0)} s CPU)`).join("; ")}
             (start → peak → end of the load)
Report: bench/REPORT.md  Figures: bench/results/load.json`);
for (const warning of results.warnings) console.log(`warning: ${warning}`);
if (results.failures.length) {
  console.error(`\nLOAD TEST FAILED:\n${results.failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("\nLoad test passed: 0 errors, 0 lost writes.");
process.exit(0);
