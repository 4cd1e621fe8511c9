// Memory of the app's processes under load: finds them in the process tree under `npm start`
// (/proc), samples their resident set size (VmRSS) every second, and judges the series with one
// documented rule. Linux only; the judging is pure.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./stats.ts";

/** The processes the load test watches. */
export const ROLES = ["worker", "proxy", "endpoint", "wrangler"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  worker: "workerd running the Worker",
  proxy: "workerd running wrangler's proxy (the public port)",
  endpoint: "SQL endpoint + PGlite (node dev/start.ts)",
  wrangler: "wrangler dev (node)",
};

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may itself contain spaces or parentheses: split after the last ")".
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    // After ")": state ppid … utime (field 14 of the whole line) stime (15).
    const fields = stat.slice(close + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, ppid: Number(fields[1]), comm, cmdline, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone between the listing and the read
  }
}

/** Every process below `rootPid` (not the root itself). */
export function descendants(rootPid: number): ProcInfo[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is ProcInfo => p !== null);
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcInfo[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/**
 * Which watched process this is, if any. `npm start` runs the SQL endpoint inside dev/start.ts;
 * wrangler dev runs two workerd: its proxy on the public port, which forwards to the Worker's own.
 */
export function classify(p: Pick<ProcInfo, "comm" | "cmdline">, publicPort: number): Role | null {
  if (p.comm === "workerd")
    return new RegExp(`--socket-addr=entry=[^\\s]*:${publicPort}(\\s|$)`).test(p.cmdline) ? "proxy" : "worker";
  // Only node itself: `npm start` also runs `sh -c node dev/start.ts` in between.
  if (p.comm !== "node") return null;
  if (/\bdev\/start\.ts\b/.test(p.cmdline)) return "endpoint";
  if (/\bwrangler(-dist\/cli\.js)? dev\b/.test(p.cmdline)) return "wrangler";
  return null;
}

/** VmRSS in KiB, or null when the process is gone. */
export function rssKiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface ProcSample {
  pid: number;
  role: Role;
  kib: number;
  cpuTicks: number;
}

export interface RssSample {
  /** Seconds since sampling started. */
  t: number;
  procs: ProcSample[];
}

export interface RssSampler {
  readonly samples: readonly RssSample[];
  /** Seconds since sampling started (the time base of `t`). */
  now(): number;
  stop(): void;
}

export function sampleTree(rootPid: number, publicPort: number, t: number): RssSample {
  const procs: ProcSample[] = [];
  for (const p of descendants(rootPid)) {
    const role = classify(p, publicPort);
    const kib = role ? rssKiB(p.pid) : null;
    if (role && kib !== null) procs.push({ pid: p.pid, role, kib, cpuTicks: p.cpuTicks });
  }
  return { t, procs };
}

/** Samples the tree under rootPid now and then every intervalMs. */
export function startRssSampler(rootPid: number, publicPort: number, intervalMs = 1000): RssSampler {
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;
  const samples: RssSample[] = [sampleTree(rootPid, publicPort, 0)];
  const timer = setInterval(() => samples.push(sampleTree(rootPid, publicPort, now())), intervalMs);
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
export function cpuSeconds(samples: readonly RssSample[], role: Role, ticksPerSecond = 100): number {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (const s of samples) {
    for (const p of s.procs) {
      if (p.role !== role) continue;
      if (!first.has(p.pid)) first.set(p.pid, p.cpuTicks);
      last.set(p.pid, p.cpuTicks);
    }
  }
  let ticks = 0;
  for (const [pid, end] of last) ticks += end - (first.get(pid) ?? end);
  return ticks / ticksPerSecond;
}

export interface MemoryVerdict {
  samples: number;
  startMiB: number;
  peakMiB: number;
  /** Median of the last END_WINDOW samples: one GC cycle's sawtooth does not move it. */
  endMiB: number;
  growthMiB: number;
  /** Least-squares slope over the last half of the load, in MiB per minute. */
  lastHalfSlopeMiBPerMin: number;
  /** That slope as a share of the last half's mean RSS per minute. */
  lastHalfSlopePctPerMin: number;
  status: "stable" | "growing" | "not measured";
  reason: string;
}

export const MEMORY_RULE = {
  /** Samples whose median is the end figure. */
  endWindow: 5,
  /** Growth below this never warns: allocator and JIT noise of a small process. */
  minGrowthMiB: 64,
  /** Growth above this share of the start level is "clearly abnormal"... */
  growthShare: 0.5,
  /** ...when the last half still climbs by more than this share of its level per minute. */
  stillGrowingShare: 0.05,
  /** Growth beyond this multiple of the start warns whatever the trend (a doubling in one run). */
  hardMultiple: 2,
} as const;

/**
 * The memory rule, over the samples of the load window (t in seconds, MiB): warn ("growing") when
 * the end is above the start by more than max(64 MiB, 50 % of the start) AND the last half of the
 * run still climbs by more than 5 % of its level per minute, or when the end is more than twice the
 * start and 64 MiB above it. A process that grows while it warms up and then levels off is stable;
 * one that is still climbing at the end, far above where it started, may be leaking.
 */
export function judgeMemory(points: readonly { t: number; mib: number }[], rule = MEMORY_RULE): MemoryVerdict {
  if (points.length < 4) {
    return {
      samples: points.length,
      startMiB: Number.NaN,
      peakMiB: Number.NaN,
      endMiB: Number.NaN,
      growthMiB: Number.NaN,
      lastHalfSlopeMiBPerMin: Number.NaN,
      lastHalfSlopePctPerMin: Number.NaN,
      status: "not measured",
      reason: `${points.length} sample(s): too few to judge`,
    };
  }
  const startMiB = (points[0] as { mib: number }).mib;
  const peakMiB = Math.max(...points.map((p) => p.mib));
  const endMiB = median(points.slice(-rule.endWindow).map((p) => p.mib));
  const mid =
    (points[0] as { t: number }).t + ((points.at(-1) as { t: number }).t - (points[0] as { t: number }).t) / 2;
  const lastHalf = points.filter((p) => p.t >= mid);
  const slopePerSecond = slope(
    lastHalf.map((p) => p.t),
    lastHalf.map((p) => p.mib),
  );
  const lastHalfMean = lastHalf.reduce((sum, p) => sum + p.mib, 0) / lastHalf.length;
  const lastHalfSlopeMiBPerMin = slopePerSecond * 60;
  const lastHalfSlopePctPerMin = (lastHalfSlopeMiBPerMin / lastHalfMean) * 100;
  const growthMiB = endMiB - startMiB;

  const margin = Math.max(rule.minGrowthMiB, rule.growthShare * startMiB);
  const stillGrowing = lastHalfSlopeMiBPerMin > rule.stillGrowingShare * lastHalfMean;
  const doubled = endMiB > rule.hardMultiple * startMiB && growthMiB > rule.minGrowthMiB;
  const fmt = (n: number) => n.toFixed(0);
  let status: MemoryVerdict["status"] = "stable";
  let reason: string;
  if (doubled) {
    status = "growing";
    reason = `end ${fmt(endMiB)} MiB is more than ${rule.hardMultiple}× the start (${fmt(startMiB)} MiB)`;
  } else if (growthMiB > margin && stillGrowing) {
    status = "growing";
    reason = `end is ${fmt(growthMiB)} MiB above the start (more than ${fmt(margin)} MiB) and the last half still climbs ${lastHalfSlopePctPerMin.toFixed(1)} %/min`;
  } else if (growthMiB > margin) {
    reason = `grew ${fmt(growthMiB)} MiB, then levelled off (last half ${lastHalfSlopePctPerMin.toFixed(1)} %/min)`;
  } else {
    reason = `end within ${fmt(margin)} MiB of the start (${growthMiB >= 0 ? "+" : ""}${fmt(growthMiB)} MiB)`;
  }
  return {
    samples: points.length,
    startMiB,
    peakMiB,
    endMiB,
    growthMiB,
    lastHalfSlopeMiBPerMin,
    lastHalfSlopePctPerMin,
    status,
    reason,
  };
}

/** Least-squares slope of y over x; 0 for fewer than two distinct x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  const mx = x.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = y.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((x[i] as number) - mx) * ((y[i] as number) - my);
    den += ((x[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
