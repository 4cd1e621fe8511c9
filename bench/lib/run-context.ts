// What `npm run bench` and `npm run load` share as scripts: the repository root, whole-number
// settings from the environment, log lines stamped with the elapsed time, a temporary directory
// removed on exit or Ctrl-C together with whatever else was started, and the facts about the run
// that its results record.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
// npm's and wrangler's shebangs run whatever `node` is first on PATH: make it the pinned Node 22.
process.env.PATH = `${root}/node_modules/.bin:${process.env.PATH ?? ""}`;

export function intSetting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

export interface RunInfo {
  generatedAt: string;
  commit: string | null;
  /** Uncommitted changes in the tree when measured (besides the results themselves). */
  dirty: boolean;
  node: string;
  cpus: number;
  /** The 1-minute load average at the start and its peak over the run (sampled every 2 s). */
  loadAverage: { start: number; max: number };
  durationSeconds: number;
}

function git(...args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function startRun(name: string) {
  const started = performance.now();
  const generatedAt = new Date().toISOString();
  const loadSamples = [loadavg()[0]!];
  const sampler = setInterval(() => loadSamples.push(loadavg()[0]!), 2000);
  sampler.unref();
  const tmp = mkdtempSync(join(tmpdir(), `edge-todo-${name}-`));
  const stops: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    clearInterval(sampler);
    for (const stop of stops.splice(0).reverse()) await stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return {
    tmp,
    log: (message: string) =>
      console.log(`[${name} ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`),
    /** Runs `stop` at cleanup, last registered first. */
    onCleanup: (stop: () => Promise<void>) => void stops.push(stop),
    cleanup,
    info: (): RunInfo => ({
      generatedAt,
      commit: git("rev-parse", "HEAD"),
      dirty: Boolean(git("status", "--porcelain", "--", ".", ":!bench/results", ":!bench/REPORT.md")),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadSamples[0]!, max: Math.max(...loadSamples) },
      durationSeconds: (performance.now() - started) / 1000,
    }),
  };
}

/** Writes a result file whole or not at all (a reader never sees half of it). */
export function writeResult(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
