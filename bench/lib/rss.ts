// Memory of the stack's processes under load: finds them in the process tree (/proc), samples their
// resident set size (VmRSS) and CPU time every second, and judges each series with one documented
// rule. Linux only.
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

export interface MemoryVerdict {
  startMiB: number;
  peakMiB: number;
  /** Median of the last MEMORY_RULE.endWindow samples: one GC cycle's sawtooth does not move it. */
  endMiB: number;
  growthMiB: number;
  /** Least-squares slope over the last half of the load, in MiB per minute and as a share of its level. */
  lastHalfSlopeMiBPerMin: number;
  lastHalfSlopePctPerMin: number;
  status: "stable" | "growing" | "not measured";
  reason: string;
}

export const MEMORY_RULE = {
  endWindow: 5,
  /** Growth below this never warns: allocator and JIT noise of a small process. */
  minGrowthMiB: 64,
  /** Growth above this share of the start level is "clearly abnormal"... */
  growthShare: 0.5,
  /** ...when the last half still climbs by more than this share of its level per minute. */
  stillGrowingShare: 0.05,
  /** Growth beyond this multiple of the start warns whatever the trend. */
  hardMultiple: 2,
} as const;

/** Least-squares slope of y over x; 0 for fewer than two distinct x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const [mx, my] = [mean(x), mean(y)];
  let num = 0;
  let den = 0;
  x.forEach((xi, i) => {
    num += (xi - mx) * (y[i]! - my);
    den += (xi - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/**
 * The memory rule, over the samples of the load (t in seconds, MiB): "growing" when the end is above
 * the start by more than max(64 MiB, 50 % of the start) and the last half of the run still climbs by
 * more than 5 % of its level per minute, or when the end is more than twice the start and 64 MiB
 * above it. A process that grows while it warms up and then levels off is stable; one still climbing
 * at the end, far above where it started, may be leaking.
 */
export function judgeMemory(points: readonly { t: number; mib: number }[], rule = MEMORY_RULE): MemoryVerdict {
  const nan = Number.NaN;
  if (points.length < 4) {
    const reason = `${points.length} sample(s): too few to judge`;
    const none = { startMiB: nan, peakMiB: nan, endMiB: nan, growthMiB: nan };
    return { ...none, lastHalfSlopeMiBPerMin: nan, lastHalfSlopePctPerMin: nan, status: "not measured", reason };
  }
  const startMiB = points[0]!.mib;
  const endMiB = median(points.slice(-rule.endWindow).map((p) => p.mib));
  const growthMiB = endMiB - startMiB;
  const mid = (points[0]!.t + points.at(-1)!.t) / 2;
  const lastHalf = points.filter((p) => p.t >= mid);
  const lastHalfMean = lastHalf.reduce((sum, p) => sum + p.mib, 0) / lastHalf.length;
  const lastHalfSlopeMiBPerMin =
    slope(
      lastHalf.map((p) => p.t),
      lastHalf.map((p) => p.mib),
    ) * 60;
  const lastHalfSlopePctPerMin = (lastHalfSlopeMiBPerMin / lastHalfMean) * 100;
  const margin = Math.max(rule.minGrowthMiB, rule.growthShare * startMiB);
  const stillGrowing = lastHalfSlopeMiBPerMin > rule.stillGrowingShare * lastHalfMean;
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  let status: MemoryVerdict["status"] = "stable";
  let reason: string;
  if (endMiB > rule.hardMultiple * startMiB && growthMiB > rule.minGrowthMiB) {
    status = "growing";
    reason = `end ${mib(endMiB)} is more than ${rule.hardMultiple}× the start (${mib(startMiB)})`;
  } else if (growthMiB > margin && stillGrowing) {
    status = "growing";
    reason = `end is ${mib(growthMiB)} above the start (more than ${mib(margin)}) and the last half still climbs ${lastHalfSlopePctPerMin.toFixed(1)} %/min`;
  } else if (growthMiB > margin) {
    reason = `grew ${mib(growthMiB)}, then levelled off (last half ${lastHalfSlopePctPerMin.toFixed(1)} %/min)`;
  } else {
    reason = `end within ${mib(margin)} of the start (${growthMiB >= 0 ? "+" : ""}${mib(growthMiB)})`;
  }
  const peakMiB = Math.max(...points.map((p) => p.mib));
  return { startMiB, peakMiB, endMiB, growthMiB, lastHalfSlopeMiBPerMin, lastHalfSlopePctPerMin, status, reason };
}
