// `npm run load`: the bounded load test. Runs the production Worker (wrangler.toml, bundled as for a
// deploy) in `wrangler dev` on the SQL endpoint with a throwaway PGlite database and
// AUTH_RATE_LIMIT=off, signs up users, runs mixed reads and writes under autocannon while sampling
// the processes' memory, then checks that no write was lost: every user's todos listed through the
// API and the rows counted in the database against what the responses said (201s minus 204s).
// Writes bench/results/load.json and the report. Exits 1 on any error or lost write; memory growth
// only warns, latency is reported.
//
// Settings (environment): LOAD_CONNECTIONS (50), LOAD_SECONDS (60), LOAD_USERS (10), LOAD_PORT (8794).
import { join } from "node:path";
import { MAX_TODOS_PER_USER } from "#contract";
import { BenchClient } from "./lib/api.ts";
import { scanAppLog } from "./lib/app-log.ts";
import { figuresTable, type LoadTestResults, memoryTable } from "./lib/load-report.ts";
import { rowsInDatabase, rowsViaApi } from "./lib/load-verify.ts";
import { resolveUnanswered, runMixedLoad } from "./lib/mixed-load.ts";
import { writeReport } from "./lib/report.ts";
import {
  clockTicksPerSecond,
  cpuSeconds,
  memoryOf,
  memoryWarning,
  ROLE_LABEL,
  ROLES,
  roleSeries,
  startRssSampler,
} from "./lib/rss.ts";
import { intSetting, root, startRun, writeResult } from "./lib/run-context.ts";
import { type Stack, startStack } from "./lib/stack.ts";
import { DEFAULT_MIX, TodoLedger } from "./lib/todo-ledger.ts";
import { auditSummary, auditWrites, describeAudit } from "./lib/write-audit.ts";

const settings = {
  connections: intSetting("LOAD_CONNECTIONS", 50),
  seconds: intSetting("LOAD_SECONDS", 60),
  users: intSetting("LOAD_USERS", 10),
  port: intSetting("LOAD_PORT", 8794),
  // Headroom under the API's cap, so no create is refused for it (that would be a 409, an error here).
  maxLivePerUser: MAX_TODOS_PER_USER - 100,
};

const run = startRun("load");
const { log } = run;

async function measure(stack: Stack): Promise<Omit<LoadTestResults, "run">> {
  const client = new BenchClient(stack.baseUrl);
  log(`signing up ${settings.users} users`);
  const users = [];
  for (let i = 0; i < settings.users; i++) users.push(await client.newIdentity(`load${i}`));
  const ledger = new TodoLedger(users, {
    maxLivePerUser: settings.maxLivePerUser,
    runId: `load-${Date.now().toString(36)}`,
  });

  // Every process of the stack is a child of this one.
  const sampler = startRssSampler(process.pid, settings.port);
  const logOffset = stack.wranglerLog().length;
  log(`load: ${settings.connections} connections for ${settings.seconds} s`);
  const loadStart = sampler.now();
  const load = await runMixedLoad(ledger, {
    baseUrl: stack.baseUrl,
    connections: settings.connections,
    seconds: settings.seconds,
  });
  const loadEnd = sampler.now();
  const appLog = scanAppLog(stack.wranglerLog().slice(logOffset));
  const o = load.overall;
  log(`${o.requests} requests, ${o.rps.toFixed(0)} req/s, ${o.failures} failed`);

  // Let requests still running in the app when autocannon hung up finish before replaying them.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const resolution = await resolveUnanswered(ledger, stack.baseUrl);
  log(`checking the writes (${ledger.created.size} created, ${ledger.deleted.size} deleted)`);
  const viaApi = await rowsViaApi(stack.baseUrl, ledger.users);
  const inDb = await rowsInDatabase(`${stack.sql.url}/sql`);
  sampler.stop();
  const created = new Map([...ledger.created].map(([id, owner]) => [id, ledger.users[owner]!.userId]));
  const apiAudit = auditWrites({ created, deleted: ledger.deleted, found: viaApi });
  const dbAudit = auditWrites({ created, deleted: ledger.deleted, found: inDb.rows });

  // The sampler started just before the load: its first sample is the memory as the load begins.
  const inLoad = sampler.samples.filter((s) => s.t <= loadEnd + 0.5);
  const ticks = clockTicksPerSecond();
  const memory = Object.fromEntries(
    ROLES.map((role) => [role, { ...memoryOf(roleSeries(inLoad, role)), cpuSeconds: cpuSeconds(inLoad, role, ticks) }]),
  ) as LoadTestResults["memory"];

  const failures: string[] = [];
  if (o.failures) {
    const statuses = Object.entries(o.statusCounts)
      .filter(([status]) => !status.startsWith("2"))
      .map(([status, n]) => `${n}× ${status}`);
    failures.push(
      `${o.failures} request(s) failed: ${statuses.join(", ") || "no non-2xx"}; ${o.connectionErrors} connection error(s), ${o.timeouts} timeout(s)`,
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

  const warnings = ROLES.filter((role) => Number.isNaN(memory[role].endMiB)).map(
    (role) => `memory of ${ROLE_LABEL[role]} not measured: no such process found`,
  );
  const growth = memoryWarning(memory);
  if (growth) warnings.push(growth);

  return {
    settings: { ...settings, mix: { ...DEFAULT_MIX } },
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
    loadSeconds: loadEnd - loadStart,
    appLog,
    anomalies: ledger.anomalies.slice(0, 100),
    failures,
    warnings,
  };
}

let results: LoadTestResults;
try {
  const stack = await startStack({
    root,
    tmpDir: run.tmp,
    port: settings.port,
    config: "wrangler.toml",
    // The API under test never reads the assets: an empty directory keeps the asset layer in front.
    assets: join(run.tmp, "assets"),
    sqlLog: false,
    // "log" keeps the Worker's request log, as `npm start` shows it: the report reads it.
    logLevel: "log",
    log,
  });
  run.onCleanup(stack.stop);
  const measured = await measure(stack);
  log("stopping the app");
  await run.cleanup();
  results = { run: run.info(), ...measured };
} catch (error) {
  await run.cleanup();
  console.error(
    `\nload test failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
}

writeResult(join(root, "bench/results/load.json"), `${JSON.stringify(results, null, 2)}\n`);
writeReport();

console.log(
  `\nLoad test: ${settings.connections} connections × ${settings.seconds} s, ${settings.users} users (${results.run.durationSeconds.toFixed(0)} s in all)\n\n${figuresTable(results)}\n\n${memoryTable(results)}\n\nReport: bench/REPORT.md  Figures: bench/results/load.json`,
);
for (const warning of results.warnings) console.log(`warning: ${warning}`);
if (results.failures.length) {
  console.error(`\nLOAD TEST FAILED:\n${results.failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("\nLoad test passed: 0 errors, 0 lost writes.");
process.exit(0);
