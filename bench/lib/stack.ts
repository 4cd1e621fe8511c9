// The local stack the bench measures: the SQL endpoint (PGlite in a temporary directory, one log
// line per round trip) as a child process, the JWT signing key, and `wrangler dev` running the bench
// Worker (bench/worker.ts = the real app + comparison routes). The Worker is bundled once up front
// and run with --no-bundle, so edits to worker/src during a run cannot reload it mid-measurement.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ensureSigningKey } from "../../dev/signing-key.ts";
import { getConfig } from "../../worker/src/config.ts";
import { runCommand, startDetached, stopGroup, tail } from "./processes.ts";

export interface SqlLogLine {
  /** Round-trip number since the last stats reset (1-based). */
  n: number;
  status: string;
  ms: number;
  statements: number;
  sql: string;
}

export interface SqlStats {
  roundTrips: number;
  statements: number;
  errors: number;
}

export interface SqlEndpointHandle {
  url: string;
  sqlUrl: string;
  stats(): Promise<SqlStats>;
  /** Zeroes the counters; round-trip numbers in the log restart at 1. */
  reset(): Promise<void>;
  setDelay(delayMs: number): Promise<void>;
  /** Log lines received since capture was last switched on (nothing is kept while it is off). */
  readonly log: readonly SqlLogLine[];
  /** Starts (emptying the log) or stops keeping log lines; off during load, where they are noise. */
  captureLog(on: boolean): void;
}

export interface Stack {
  baseUrl: string;
  sql: SqlEndpointHandle;
  stop(): Promise<void>;
}

const LOG_LINE = /^\[sql-endpoint\] #(\d+) (\S+) (\d+)ms (\d+) stmt (.*)$/;

export function parseSqlLogLine(line: string): SqlLogLine | null {
  const match = LOG_LINE.exec(line);
  if (!match) return null;
  return {
    n: Number(match[1]),
    status: match[2] as string,
    ms: Number(match[3]),
    statements: Number(match[4]),
    sql: match[5] as string,
  };
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const res = await response;
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => fail(`${what} did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const onExit = () => fail(`${what} exited during start`);
    function fail(message: string) {
      clearTimeout(timer);
      child.off("exit", onExit);
      reject(new Error(`${message}:\n${tail(seen)}`));
    }
    child.stderr?.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    child.once("exit", onExit);
    lines.on("line", function onLine(line) {
      seen += `${line}\n`;
      const match = pattern.exec(line);
      if (match) {
        clearTimeout(timer);
        child.off("exit", onExit);
        lines.off("line", onLine);
        resolve(match);
      }
    });
  });
}

async function startSqlEndpointChild(
  root: string,
  dataDir: string,
): Promise<{ child: ChildProcess; handle: SqlEndpointHandle }> {
  const child = startDetached(
    process.execPath,
    ["dev/sql-endpoint/main.ts", "--port", "0", "--data", dataDir, "--log"],
    { cwd: root },
  );
  const log: SqlLogLine[] = [];
  let capturing = false;
  // Always read the endpoint's stdout: a full pipe would block it (writes to pipes are synchronous).
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    if (!capturing) return;
    const parsed = parseSqlLogLine(line);
    if (parsed) log.push(parsed);
  });
  const ready = await waitForLine(child, /sql-endpoint ready: (http:\/\/\S+)\/sql/, 60_000, "the SQL endpoint");
  const url = ready[1] as string;
  const handle: SqlEndpointHandle = {
    url,
    sqlUrl: `${url}/sql`,
    log,
    captureLog: (on) => {
      capturing = on;
      log.splice(0);
    },
    stats: () => json<SqlStats>(fetch(`${url}/__stats`)),
    reset: async () => void (await json(fetch(`${url}/__stats/reset`, { method: "POST" }))),
    setDelay: async (delayMs) =>
      void (await json(fetch(`${url}/__control`, { method: "POST", body: JSON.stringify({ delayMs }) }))),
  };
  return { child, handle };
}

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The Worker's variables for the bench: a throwaway secret, rate limiting off for load. */
export function benchVars(baseUrl: string, sqlUrl: string): Record<string, string> {
  return {
    PUBLIC_BASE_URL: baseUrl,
    TRUSTED_ORIGINS: "",
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    DATABASE_URL: "postgres://bench:bench@localhost:5432/bench",
    NEON_HTTP_ENDPOINT: sqlUrl,
    ACCESS_TOKEN_TTL_SECONDS: "900",
    AUTH_RATE_LIMIT: "off",
    DB_TIMEOUT_MS: "5000",
  };
}

export async function startStack(options: {
  root: string;
  tmpDir: string;
  port: number;
  /** The built web app, served as the static assets (outside the tree, so no rebuild reloads it). */
  assets: string;
  log: (m: string) => void;
}): Promise<Stack> {
  const { root, tmpDir, port, log } = options;
  if (await portInUse(port)) throw new Error(`port ${port} is in use; set BENCH_PORT to a free port`);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopGroup(child);
  };
  try {
    // The API never reads the assets, but the asset layer sits in front of the Worker in production too.
    const { assets } = options;
    mkdirSync(assets, { recursive: true });

    log("bundling the bench Worker (bench/wrangler.toml)");
    const bundleDir = join(tmpDir, "bench-worker");
    const bundle = await runCommand(
      "wrangler",
      ["deploy", "--dry-run", "--outdir", bundleDir, "-c", "bench/wrangler.toml", "--assets", assets],
      { cwd: root },
    );
    if (bundle.code !== 0) throw new Error(`bundling the bench Worker failed:\n${tail(bundle.output)}`);

    log("starting the SQL endpoint (PGlite in a temporary directory)");
    const endpoint = await startSqlEndpointChild(root, join(tmpDir, "pglite"));
    children.push(endpoint.child);

    const baseUrl = `http://127.0.0.1:${port}`;
    const vars = benchVars(baseUrl, endpoint.handle.sqlUrl);
    // (Rate limiting only matters to the Worker; left on here, config would not warn about it.)
    await ensureSigningKey(getConfig({ ...vars, AUTH_RATE_LIMIT: "10/60" }));

    log(`starting wrangler dev on ${baseUrl}`);
    const wrangler = startDetached(
      "wrangler",
      [
        "dev",
        "-c",
        "bench/wrangler.toml",
        "--no-bundle",
        join(bundleDir, "worker.js"),
        "--assets",
        assets,
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--inspector-port",
        "0",
        "--show-interactive-dev-session=false",
        "--persist-to",
        join(tmpDir, "wrangler-state"),
        "--log-level",
        "warn",
        ...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
      ],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
    );
    children.push(wrangler);
    // Kept for error messages only: the last 64 KiB.
    let wranglerOutput = "";
    const keep = (chunk: Buffer) => (wranglerOutput = (wranglerOutput + chunk.toString()).slice(-65_536));
    wrangler.stdout?.on("data", keep);
    wrangler.stderr?.on("data", keep);

    const deadline = Date.now() + 90_000;
    for (;;) {
      if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${tail(wranglerOutput)}`);
      const healthy = await fetch(`${baseUrl}/api/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() > deadline) throw new Error(`wrangler dev did not become healthy:\n${tail(wranglerOutput)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return { baseUrl, sql: endpoint.handle, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
