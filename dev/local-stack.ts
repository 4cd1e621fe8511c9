// The building blocks of the local stack that `npm start` (dev/start.ts) and `npm run dev`
// (dev/dev.ts) compose: the SQL endpoint with migrations applied, the JWT signing key, and
// `wrangler dev` running the Worker with the right settings.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { getConfig } from "../worker/src/config.ts";
import { ensureDevVars, readDevVars } from "./dev-vars.ts";
import { ensureSigningKey, SigningKeyError } from "./signing-key.ts";
import { type SqlEndpoint, startSqlEndpoint } from "./sql-endpoint/server.ts";
import { tidyWranglerLine } from "./wrangler-output.ts";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Worker settings given in the environment win over .dev.vars (e2e tests shorten the token
 * lifetime, load tests switch the rate limit off). */
const FORWARDED_VARS = ["ACCESS_TOKEN_TTL_SECONDS", "AUTH_RATE_LIMIT", "DB_TIMEOUT_MS", "TRUSTED_ORIGINS"] as const;

export function step(message: string): void {
  console.log(`\x1b[36m▸\x1b[0m ${message}`);
}

/** True when something already answers HTTP on localhost:port. */
export async function portInUse(port: number): Promise<boolean> {
  return fetch(`http://localhost:${port}/`).then(
    () => true,
    () => false,
  );
}

/** .dev.vars, created with a random secret on first run. */
export function loadDevVars(): Record<string, string> {
  if (ensureDevVars(root)) step("created .dev.vars with a random BETTER_AUTH_SECRET");
  return readDevVars(root);
}

export interface BackendOptions {
  devVars: Record<string, string>;
  /** The origin the browser uses: cookies, Better Auth's trusted origin, JWT iss and aud. */
  publicBaseUrl: string;
  /** A PostgreSQL server instead of PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (ignored with databaseUrl). */
  dataDir: string;
  /** Simulated database distance, ms per round trip. */
  delayMs?: number | undefined;
}

export interface Backend {
  endpoint: SqlEndpoint;
  /** The `--var`s wrangler dev passes to the Worker. */
  workerVars: Record<string, string>;
}

/** Starts the SQL endpoint (migrations applied) and makes sure a JWT signing key exists. */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { databaseUrl, dataDir } = options;
  step(
    databaseUrl
      ? "starting the local SQL endpoint on PostgreSQL"
      : `starting the local SQL endpoint on PGlite (${dataDir})`,
  );
  const endpoint = await startSqlEndpoint({
    port: Number(process.env.SQL_ENDPOINT_PORT ?? 0),
    databaseUrl,
    dataDir: databaseUrl ? undefined : dataDir,
    delayMs: options.delayMs,
  });
  const workerVars: Record<string, string> = {
    ...Object.fromEntries(FORWARDED_VARS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    PUBLIC_BASE_URL: options.publicBaseUrl,
    NEON_HTTP_ENDPOINT: endpoint.sqlUrl,
  };
  try {
    const config = getConfig({ ...options.devVars, ...workerVars });
    const kids = await ensureSigningKey(config);
    step(`signing keys ready (${kids.length})`);
  } catch (error) {
    await endpoint.close();
    if (!(error instanceof SigningKeyError)) throw error;
    // The operator's mistake, said where they look: the cause and the fixes, no stack trace.
    console.error(`\n\x1b[31m✖\x1b[0m ${error.message}\n  (BETTER_AUTH_SECRET comes from .dev.vars.)\n`);
    process.exit(1);
  }
  return { endpoint, workerVars };
}

export interface WranglerOptions {
  port: number;
  workerVars: Record<string, string>;
  /** wrangler's local state (Durable Objects); default .wrangler/state in the repo. */
  persistTo?: string | undefined;
}

/** `wrangler dev` on localhost:port; what of its output matters on ours (wrangler-output.ts). */
export function startWrangler(options: WranglerOptions): ChildProcess {
  const child = spawn(
    "wrangler",
    [
      "dev",
      "--port",
      String(options.port),
      "--ip",
      "localhost",
      "--show-interactive-dev-session=false",
      ...(options.persistTo ? ["--persist-to", options.persistTo] : []),
      ...Object.entries(options.workerVars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      // Offline, wrangler would look up the Request.cf object at every start and print a stack trace.
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    },
  );
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on("line", (line) => {
      const shown = tidyWranglerLine(line);
      if (shown !== undefined) out.write(`${shown}\n`);
    });
  }
  return child;
}

/** Waits until the Worker on `port` answers its health check with a healthy database. */
export async function waitForHealthy(port: number, stopped: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 120 && !stopped(); attempt++) {
    const healthy = await fetch(`http://localhost:${port}/api/health`)
      .then((res) => res.ok)
      .catch(() => false);
    if (healthy) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}
