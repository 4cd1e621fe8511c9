// Memory of the stack's processes under load: finds them in the process tree (/proc), samples their
// resident set size (VmRSS) and CPU time every second, and tells the Worker's growth from the
// runtime's. Linux only.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./stats.ts";

/** The processes the load test watches. */
export const ROLES = ["worker", "proxy", "endpoint", "wrangler"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  worker: "workerd running the Worker",
  proxy: "workerd running wrangler's proxy (the public port)",
  endpoint: "SQL endpoint + PGlite (node dev/sql-endpoint/main.ts)",
  wrangler: "wrangler dev (node)",
};

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may itself contain spaces or parentheses: split after the last ")".
    const close = stat.lastIndexOf(")");
    // After ")": state ppid … utime (field 14 of the whole line) stime (15).
    const fields = stat.slice(close + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    return { pid, ppid: Number(fields[1]), comm, cmdline, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone between the listing and the read
  }
}

/**
 * Which watched process this is, if any. wrangler dev runs two workerd: its proxy on the public
 * port, which forwards to the Worker's own.
 */
export function classify(p: Pick<Proc, "comm" | "cmdline">, publicPort: number): Role | null {
  if (p.comm === "workerd")
    return new RegExp(`--socket-addr=entry=[^\\s]*:${publicPort}(\\s|$)`).test(p.cmdline) ? "proxy" : "worker";
  if (p.comm !== "node") return null;
  if (/\bdev\/sql-endpoint\/main\.ts\b/.test(p.cmdline)) return "endpoint";
  if (/\bwrangler(-dist\/cli\.js)? dev\b/.test(p.cmdline)) return "wrangler";
  return null;
}

export interface RssSample {
  /** Seconds since sampling started. */
  t: number;
  procs: { pid: number; role: Role; kib: number; cpuTicks: number }[];
}

function sampleTree(rootPid: number, publicPort: number, t: number): RssSample {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p) => p !== null);
  const below = new Set([rootPid]);
  // Parents before children is not guaranteed: repeat until no new descendant turns up.
  for (let size = 0; size !== below.size; ) {
    size = below.size;
    for (const p of all) if (below.has(p.ppid)) below.add(p.pid);
  }
  const procs: RssSample["procs"] = [];
  for (const p of all) {
    const role = p.pid !== rootPid && below.has(p.pid) ? classify(p, publicPort) : null;
    if (!role) continue;
    try {
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
      if (kib) procs.push({ pid: p.pid, role, kib: Number(kib[1]), cpuTicks: p.cpuTicks });
    } catch {
      // gone
    }
  }
  return { t, procs };
}

/** Samples the processes below rootPid now and then every second. */
export function startRssSampler(rootPid: number, publicPort: number) {
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;
  const samples: RssSample[] = [sampleTree(rootPid, publicPort, 0)];
  const timer = setInterval(() => samples.push(sampleTree(rootPid, publicPort, now())), 1000);
  return { samples, now, stop: () => clearInterval(timer) };
}

/** A role's RSS over time in MiB (its processes summed); samples without one are left out. */
export function roleSeries(samples: readonly RssSample[], role: Role): { t: number; mib: number }[] {
  return samples.flatMap((s) => {
    const procs = s.procs.filter((p) => p.role === role);
    return procs.length ? [{ t: s.t, mib: procs.reduce((sum, p) => sum + p.kib, 0) / 1024 }] : [];
  });
}

/** The kernel's clock ticks per second (the unit of /proc/<pid>/stat's CPU times). */
export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU seconds a role's processes spent between the first and the last sample (per process, summed). */
export function cpuSeconds(samples: readonly RssSample[], role: Role, ticksPerSecond: number): number {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (const p of samples.flatMap((s) => s.procs)) {
    if (p.role !== role) continue;
    if (!first.has(p.pid)) first.set(p.pid, p.cpuTicks);
    last.set(p.pid, p.cpuTicks);
  }
  let ticks = 0;
  for (const [pid, end] of last) ticks += end - first.get(pid)!;
  return ticks / ticksPerSecond;
}

export interface Memory {
  startMiB: number;
  peakMiB: number;
  /** The median of the last 5 samples: one GC cycle's sawtooth does not move it. */
  endMiB: number;
}

/** Start, peak and end of a role's series (NaN without samples). */
export function memoryOf(points: readonly { t: number; mib: number }[]): Memory {
  const mib = points.map((p) => p.mib);
  if (!mib.length) return { startMiB: Number.NaN, peakMiB: Number.NaN, endMiB: Number.NaN };
  return { startMiB: mib[0]!, peakMiB: Math.max(...mib), endMiB: median(mib.slice(-5)) };
}

/** How much more the Worker's workerd may grow than wrangler's proxy before the load test warns. */
export const EXCESS_GROWTH_MIB = 64;

/**
 * The memory warning (never a failure). Under `wrangler dev` both workerd processes grow with the
 * number of requests they serve, whatever the request; wrangler's proxy runs none of the app's code,
 * so growth beyond the proxy's is what the app may be holding on to.
 */
export function memoryWarning(memory: Record<Role, Memory>): string | null {
  const growth = (role: Role) => memory[role].endMiB - memory[role].startMiB;
  const excess = growth("worker") - growth("proxy");
  if (!(excess > EXCESS_GROWTH_MIB)) return null;
  return `the Worker's workerd grew ${growth("worker").toFixed(0)} MiB, ${excess.toFixed(0)} MiB more than wrangler's proxy (${growth("proxy").toFixed(0)} MiB), which runs none of the app's code`;
}
