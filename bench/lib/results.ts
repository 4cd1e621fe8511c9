// The shape of bench/results/latest.json: everything one `npm run bench` measured.
import type { BudgetResult } from "./budgets.ts";
import type { BundleMeasure, StartupMeasure } from "./cold-start.ts";
import type { LatencyRow } from "./latency.ts";
import type { OverheadResult, VerifyResult } from "./overhead.ts";
import type { PageWeight } from "./page-weight.ts";
import type { RoundTripResults } from "./round-trips.ts";

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
  settings: { edgeDelayMs: number; connections: number; loadSeconds: number; overheadSeconds: number; overheadRounds: number };
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
