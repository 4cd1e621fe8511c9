// Small statistics for the bench: percentiles of a latency sample, medians, ratios. Pure functions.

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted sample; NaN for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`percentile must be 0..100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    meanMs: sorted.length ? sum / sorted.length : Number.NaN,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? (sorted.at(-1) as number) : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** a / b, or NaN when b is zero or either is not a number (never Infinity in a report). */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/**
 * A latency as a multiple of its round-trip floor (round trips × per-round-trip delay): how much of
 * the time is distance to the database (≈1×) and how much is everything else. NaN without a floor.
 */
export function floorMultiple(latencyMs: number, roundTrips: number, delayMs: number): number {
  return ratio(latencyMs, roundTrips * delayMs);
}

/** Per-iteration cost from two timed runs of n and zero iterations (the latter being fixed overhead). */
export function perIteration(elapsedMs: number, baselineMs: number, iterations: number): number {
  if (iterations <= 0) return Number.NaN;
  return Math.max(0, elapsedMs - baselineMs) / iterations;
}

/**
 * Ratios of paired samples (a[i] / b[i], each pair measured back to back) and their median: pairing
 * cancels drift in a shared machine's speed between rounds, which a ratio of means would not.
 */
export function pairedRatios(
  a: readonly number[],
  b: readonly number[],
): { ratios: number[]; median: number; min: number; max: number } {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} vs ${b.length}`);
  const ratios = a.map((value, i) => ratio(value, b[i] as number)).filter((r) => !Number.isNaN(r));
  return {
    ratios,
    median: median(ratios),
    min: ratios.length ? Math.min(...ratios) : Number.NaN,
    max: ratios.length ? Math.max(...ratios) : Number.NaN,
  };
}
