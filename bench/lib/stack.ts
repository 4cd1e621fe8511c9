// The local stack that `npm run bench` and `npm run load` measure: the SQL endpoint (PGlite in a
// temporary directory) as a child process, the JWT signing key, and `wrangler dev` running a Worker
// bundled once up front (`wrangler deploy --dry-run`) and served with --no-bundle, so an edit to
// worker/src during a run cannot reload the Worker mid-measurement. Each child leads its own process
// group, so the whole tree (wrangler → workerd) stops together. wrangler's output goes to a file,
// not through a pipe: under load it logs every request, and reading that would cost the load
// generator CPU.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { portInUse, waitForHealthy } from "../../dev/local-stack.ts";
import { ensureSigningKey } from "../../dev/signing-key.ts";
import { getConfig } from "../../worker/src/config.ts";

/** wrangler without metrics, colours or its online lookup of `Request.cf`. */
export const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  FORCE_COLOR: "0",
};

/** Runs a command to completion; stdout and stderr interleaved in `output`, colours removed. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI colour code
      resolve({ code, output: output.replace(/\u001b\[[0-9;]*m/g, "") });
    });
  });
}

/** The last lines of some output, for error messages. */
export function tail(output: string, lines = 30): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}

/** SIGTERM to the child's process group, SIGKILL to whatever is left after a grace period. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const exited = once(child, "exit");
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler's own exit for a moment.
  signal("SIGKILL");
}

export interface Bundle {
  /** wrangler's output, with its "Total Upload" line. */
  output: string;
  /** The bundle's main module and its source. */
  path: string;
  source: string;
}

/** `wrangler deploy --dry-run` of a config into outdir; throws unless it built. */
export async function bundleWorker(root: string, outdir: string, args: string[] = []): Promise<Bundle> {
  const all = ["deploy", "--dry-run", "--outdir", outdir, ...args];
  const run = await runCommand("wrangler", all, { cwd: root, env: WRANGLER_ENV });
  if (run.code !== 0) throw new Error(`wrangler ${all.join(" ")} failed:\n${tail(run.output)}`);
  const modules = readdirSync(outdir).filter((name) => /\.m?js$/.test(name));
  const main = modules.sort((a, b) => statSync(join(outdir, b)).size - statSync(join(outdir, a)).size)[0];
  if (!main) throw new Error(`no JavaScript module in ${outdir}`);
  const path = join(outdir, main);
  return { output: run.output, path, source: readFileSync(path, "utf8") };
}

export interface SqlLogLine {
  /** Round-trip number since the last stats reset (1-based). */
  n: number;
  statements: number;
  sql: string;
}

export interface SqlEndpointHandle {
  url: string;
  stats(): Promise<{ roundTrips: number; statements: number }>;
  /** Zeroes the counters; round-trip numbers in the log restart at 1. */
  reset(): Promise<void>;
  setDelay(delayMs: number): Promise<void>;
  /** Log lines received since capture was last switched on (nothing is kept while it is off). */
  readonly log: readonly SqlLogLine[];
  captureLog(on: boolean): void;
}

export interface Stack {
  baseUrl: string;
  sql: SqlEndpointHandle;
  /** wrangler dev's output (the Worker's request log included). */
  wranglerLog(): string;
  stop(): Promise<void>;
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const res = await response;
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The SQL endpoint as a child process on a free port; with `log`, one line per round trip. */
async function startSqlEndpoint(
  root: string,
  dataDir: string,
  sqlLog: boolean,
  children: ChildProcess[],
): Promise<SqlEndpointHandle> {
  const args = ["dev/sql-endpoint/main.ts", "--port", "0", "--data", dataDir, ...(sqlLog ? ["--log"] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  const log: SqlLogLine[] = [];
  let capturing = false;
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Read every line, captured or not: a full pipe would block the endpoint.
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<string>((resolve, reject) => {
    child.once("exit", () => reject(new Error(`the SQL endpoint exited during start:\n${tail(output)}`)));
    lines.on("line", (line) => {
      const match = /^\[sql-endpoint\] #(\d+) \S+ \d+ms (\d+) stmt (.*)$/.exec(line);
      if (match && capturing) log.push({ n: Number(match[1]), statements: Number(match[2]), sql: match[3]! });
      const url = /sql-endpoint ready: (http:\/\/\S+)\/sql/.exec(line)?.[1];
      if (url) resolve(url);
      else if (!match) output += `${line}\n`;
    });
  });
  const url = await ready;
  return {
    url,
    log,
    captureLog: (on) => {
      capturing = on;
      log.splice(0);
    },
    stats: () => json(fetch(`${url}/__stats`)),
    reset: async () => void (await json(fetch(`${url}/__stats/reset`, { method: "POST" }))),
    setDelay: async (delayMs) =>
      void (await json(fetch(`${url}/__control`, { method: "POST", body: JSON.stringify({ delayMs }) }))),
  };
}

export async function startStack(options: {
  root: string;
  tmpDir: string;
  port: number;
  /** The wrangler config whose Worker runs: bench/wrangler.toml, or the production wrangler.toml. */
  config: string;
  /** The built web app, served as the static assets. */
  assets: string;
  /** Whether the SQL endpoint logs each round trip (SqlEndpointHandle.log). */
  sqlLog: boolean;
  /** wrangler's --log-level: "log" keeps the Worker's request log, "warn" leaves it out. */
  logLevel: "log" | "warn";
  log: (message: string) => void;
}): Promise<Stack> {
  const { root, tmpDir, port, config, assets, log } = options;
  if (await portInUse(port)) throw new Error(`port ${port} is in use: choose another with BENCH_PORT or LOAD_PORT`);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopGroup(child);
  };
  try {
    log(`bundling the Worker (${config})`);
    mkdirSync(assets, { recursive: true });
    const bundle = await bundleWorker(root, join(tmpDir, "stack-worker"), ["-c", config, "--assets", assets]);

    log("starting the SQL endpoint (PGlite in a temporary directory)");
    const sql = await startSqlEndpoint(root, join(tmpDir, "pglite"), options.sqlLog, children);
    const baseUrl = `http://localhost:${port}`;
    const vars = {
      PUBLIC_BASE_URL: baseUrl,
      TRUSTED_ORIGINS: "",
      BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
      DATABASE_URL: "postgres://bench:bench@localhost:5432/bench",
      NEON_HTTP_ENDPOINT: `${sql.url}/sql`,
      ACCESS_TOKEN_TTL_SECONDS: "900",
      // All the load comes from one address: with the limiter on, most sign-ups would get 429s.
      AUTH_RATE_LIMIT: "off",
      DB_TIMEOUT_MS: "5000",
    };
    // (Rate limiting matters only to the Worker; on here, the config check does not warn about it.)
    await ensureSigningKey(getConfig({ ...vars, AUTH_RATE_LIMIT: "10/60" }));

    log(`starting wrangler dev on ${baseUrl}`);
    const logFile = join(tmpDir, "wrangler-dev.log");
    const fd = openSync(logFile, "a");
    const wrangler = spawn(
      "wrangler",
      [
        ...["dev", "-c", config, "--no-bundle", bundle.path, "--assets", assets, "--port", String(port)],
        ...["--ip", "localhost", "--inspector-port", "0", "--show-interactive-dev-session=false"],
        ...["--persist-to", join(tmpDir, "wrangler-state"), "--log-level", options.logLevel],
        ...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
      ],
      { cwd: root, env: WRANGLER_ENV, stdio: ["ignore", fd, fd], detached: true },
    );
    closeSync(fd);
    children.push(wrangler);
    const wranglerLog = () => readFileSync(logFile, "utf8");
    if (!(await waitForHealthy(port, () => wrangler.exitCode !== null)))
      throw new Error(`wrangler dev did not become healthy:\n${tail(wranglerLog())}`);
    return { baseUrl, sql, wranglerLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
