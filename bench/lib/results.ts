// The shape of bench/results/latest.json (everything one `npm run bench` measured) and of
// bench/results/load.json (one `npm run load`).
import type { AppLogFindings } from "./app-log.ts";
import type { BudgetResult } from "./budgets.ts";
import type { BundleMeasure, StartupMeasure } from "./cold-start.ts";
import type { LatencyRow } from "./latency.ts";
import type { LoadResult } from "./load.ts";
import type { KindStats, Resolution } from "./mixed-load.ts";
import type { OverheadResult, VerifyResult } from "./overhead.ts";
import type { PageWeight } from "./page-weight.ts";
import type { RoundTripResults } from "./round-trips.ts";
import type { MemoryVerdict, Role } from "./rss.ts";
import type { OpKind } from "./todo-ledger.ts";
import type { AuditSummary } from "./write-audit.ts";

export interface BenchMeta {
  generatedAt: string;
  mode: "full" | "check";
  commit: string | null;
  /** Uncommitted changes in the tree when measured. */
  dirty: boolean;
  node: string;
  wrangler: string | null;
  cpus: number;
  /** 1-minute load average at the start, and its peak and mean over the run (sampled every 2 s). */
  loadAverage: { start: number; max: number; mean: number };
  durationSeconds: number;
  settings: {
    edgeDelayMs: number;
    connections: number;
    loadSeconds: number;
    overheadSeconds: number;
    overheadRounds: number;
  };
}

export interface BenchResults {
  meta: BenchMeta;
  roundTrips: RoundTripResults | null;
  latency: { delayMs: number; connections: number; seconds: number; rows: LatencyRow[] } | null;
  authOverhead: OverheadResult | null;
  verify: VerifyResult | null;
  coldStart: {
    bundle: BundleMeasure | null;
    /** The same build minified (skipped when the config already minifies). */
    minifiedBundle: BundleMeasure | null;
    startup: StartupMeasure | null;
    /** Sequential sign-ins at 0 ms database delay (scrypt N=16384, r=16 through node:crypto). */
    signInMs: number[];
    signUpMs: number[];
  };
  pageWeight: PageWeight | null;
  budgets: BudgetResult[];
  /** Phases that failed, with why; their figures are missing. */
  errors: string[];
}

/** The shape of bench/results/load.json: one `npm run load` (the bounded load test). */
export interface LoadTestResults {
  meta: {
    generatedAt: string;
    commit: string | null;
    dirty: boolean;
    node: string;
    cpus: number;
    loadAverage: { start: number; max: number; mean: number };
    /** The whole run: start of the app to its stop. */
    durationSeconds: number;
    settings: {
      connections: number;
      seconds: number;
      users: number;
      maxLivePerUser: number;
      mix: Record<OpKind, number>;
    };
  };
  overall: LoadResult;
  byKind: Record<OpKind, KindStats>;
  unanswered: Record<OpKind, number>;
  resolution: Resolution;
  writes: {
    /** 201s and 204s seen during the load (replays after it included). */
    creates: number;
    deletes: number;
    api: AuditSummary;
    db: AuditSummary & { countStar: number };
  };
  /** Per watched process: the memory verdict over the load, its pids, and CPU seconds it used then. */
  memory: Record<Role, MemoryVerdict & { pids: number[]; cpuSeconds: number }>;
  /** One point a second from just before the load to the end of the checks (MiB; null = no process). */
  memorySeries: ({ t: number } & Record<Role, number | null>)[];
  /** Seconds on the memorySeries clock when the load started and stopped. */
  loadWindow: { start: number; end: number };
  appLog: AppLogFindings;
  anomalies: string[];
  /** Why the run failed (empty = passed), and what deserves a look without failing it. */
  failures: string[];
  warnings: string[];
}
