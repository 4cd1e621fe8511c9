// `npm start`: the whole app offline. Starts the local Neon-compatible SQL endpoint on embedded
// Postgres (PGlite, kept in .data/) with migrations applied, provisions the JWT signing key, builds
// the web app and runs `wrangler dev` on PORT. Ctrl-C stops everything; data survives restarts.
import type { ChildProcess } from "node:child_process";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadDevVars, portInUse, root, startBackend, startWrangler, step, waitForHealthy } from "./local-stack.ts";

if (existsSync(`${root}/.env`)) process.loadEnvFile(`${root}/.env`);

const { values: args } = parseArgs({
  options: {
    "database-url": { type: "string" },
    "skip-build": { type: "boolean", default: false },
    delay: { type: "string" },
    // wrangler's local state (rate-limit counters); the e2e tests keep theirs apart from yours.
    "persist-to": { type: "string" },
  },
});

const port = Number(process.env.PORT ?? 8787);
const databaseUrl = args["database-url"] ?? process.env.LOCAL_DATABASE_URL;
const dataDir = process.env.PGLITE_DATA_DIR ?? `${root}/.data/pglite`;

if (await portInUse(port)) {
  console.error(`Port ${port} is already in use (another \`npm start\`?). Stop it, or run with PORT=<another port>.`);
  process.exit(1);
}

const devVars = loadDevVars();
const publicBaseUrl = devVars.PUBLIC_BASE_URL || `http://localhost:${port}`;
const { endpoint, workerVars } = await startBackend({
  devVars,
  publicBaseUrl,
  databaseUrl,
  dataDir,
  delayMs: args.delay ? Number(args.delay) : undefined,
});

let wrangler: ChildProcess | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (wrangler && wrangler.exitCode === null) wrangler.kill("SIGINT");
    await endpoint.close();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

if (!args["skip-build"]) {
  step("building web/");
  // Vite's warnings and errors only: its file table and timings say nothing to act on here.
  const build = spawnSync("npm", ["run", "--silent", "build:web", "--", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) await shutdown(build.status ?? 1);
}

step(`starting wrangler dev on ${publicBaseUrl}`);
wrangler = startWrangler({ port, workerVars, persistTo: args["persist-to"] });
wrangler.on("exit", (code) => void shutdown(code ?? 0));

// Announce the URL once the Worker answers with a healthy database.
if (await waitForHealthy(port, () => stopping)) {
  console.log(`\n\x1b[32m✔ edge-todo is running at ${publicBaseUrl}\x1b[0m  (Ctrl-C to stop)\n`);
}
