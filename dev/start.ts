// `npm start`: the whole app offline. Starts the local Neon-compatible SQL endpoint on embedded
// Postgres (PGlite, kept in .data/) with migrations applied, provisions the JWT signing key, builds
// the web app and runs `wrangler dev` on PORT. Ctrl-C stops everything; data survives restarts.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { getConfig } from "../worker/src/config.ts";
import { ensureDevVars, readDevVars } from "./dev-vars.ts";
import { ensureSigningKey } from "./signing-key.ts";
import { startSqlEndpoint } from "./sql-endpoint/server.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
if (existsSync(`${root}/.env`)) process.loadEnvFile(`${root}/.env`);

const { values: args } = parseArgs({
  options: {
    "database-url": { type: "string" },
    "skip-build": { type: "boolean", default: false },
    delay: { type: "string" },
  },
});

const port = Number(process.env.PORT ?? 8787);
const databaseUrl = args["database-url"] ?? process.env.LOCAL_DATABASE_URL;
const dataDir = process.env.PGLITE_DATA_DIR ?? `${root}/.data/pglite`;

function step(message: string) {
  console.log(`\x1b[36m▸\x1b[0m ${message}`);
}

const portInUse = await fetch(`http://localhost:${port}/`).then(
  () => true,
  () => false,
);
if (portInUse) {
  console.error(`Port ${port} is already in use (another \`npm start\`?). Stop it, or run with PORT=<another port>.`);
  process.exit(1);
}

if (ensureDevVars(root)) step("created .dev.vars with a random BETTER_AUTH_SECRET");
const devVars = readDevVars(root);
const publicBaseUrl = devVars.PUBLIC_BASE_URL || `http://localhost:${port}`;

step(databaseUrl ? "starting the local SQL endpoint on PostgreSQL" : `starting the local SQL endpoint on PGlite (${dataDir})`);
const endpoint = await startSqlEndpoint({
  port: Number(process.env.SQL_ENDPOINT_PORT ?? 0),
  databaseUrl,
  dataDir: databaseUrl ? undefined : dataDir,
  delayMs: args.delay ? Number(args.delay) : undefined,
});

// Worker settings given in the environment win over .dev.vars (e2e tests shorten the token lifetime,
// load tests switch the rate limit off).
const FORWARDED_VARS = ["ACCESS_TOKEN_TTL_SECONDS", "AUTH_RATE_LIMIT", "DB_TIMEOUT_MS", "TRUSTED_ORIGINS"] as const;
const workerVars: Record<string, string> = {
  ...Object.fromEntries(FORWARDED_VARS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
  PUBLIC_BASE_URL: publicBaseUrl,
  NEON_HTTP_ENDPOINT: endpoint.sqlUrl,
};
const config = getConfig({ ...devVars, ...workerVars });
const kids = await ensureSigningKey(config);
step(`signing keys ready (${kids.length})`);

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
  const build = spawnSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) await shutdown(build.status ?? 1);
}

step(`starting wrangler dev on ${publicBaseUrl}`);
wrangler = spawn(
  "wrangler",
  [
    "dev",
    "--port",
    String(port),
    "--ip",
    "localhost",
    "--show-interactive-dev-session=false",
    ...Object.entries(workerVars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);
wrangler.on("exit", (code) => void shutdown(code ?? 0));

// Announce the URL once the Worker answers with a healthy database.
for (let attempt = 0; attempt < 120 && !stopping; attempt++) {
  const healthy = await fetch(`http://localhost:${port}/api/health`)
    .then((res) => res.ok)
    .catch(() => false);
  if (healthy) {
    console.log(`\n\x1b[32m✔ edge-todo is running at ${publicBaseUrl}\x1b[0m  (Ctrl-C to stop)\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
