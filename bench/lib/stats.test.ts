import { describe, expect, it } from "vitest";
import { floorMultiple, median, pairedRatios, percentile, perIteration, ratio, summarize } from "./stats.ts";

describe("latency statistics", () => {
  it("takes nearest-rank percentiles, so p99 of 100 samples is the 99th smallest", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(sorted, 101)).toThrow(RangeError);
  });

  it("summarizes an unsorted sample without reordering the caller's array", () => {
    const samples = [30, 10, 20, 40, 1000];
    const summary = summarize(samples);
    expect(summary).toMatchObject({ count: 5, p50Ms: 30, p95Ms: 1000, p99Ms: 1000, maxMs: 1000, meanMs: 220 });
    expect(samples).toEqual([30, 10, 20, 40, 1000]);
  });

  it("gives medians of odd and even samples", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("expresses a latency as a multiple of its round-trip floor", () => {
    expect(floorMultiple(60, 3, 20)).toBe(1);
    expect(floorMultiple(30, 1, 20)).toBe(1.5);
    expect(floorMultiple(5, 0, 20)).toBeNaN();
  });

  it("never turns a division by zero into Infinity", () => {
    expect(ratio(900, 1000)).toBe(0.9);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });

  it("derives a per-iteration cost net of fixed overhead", () => {
    expect(perIteration(250, 50, 1000)).toBeCloseTo(0.2);
    expect(perIteration(40, 50, 1000)).toBe(0);
    expect(perIteration(40, 50, 0)).toBeNaN();
  });

  it("takes the median of paired ratios, so a slow round for both sides does not skew it", () => {
    // Round 2 ran while the machine was busy: both sides halved, their ratio unchanged.
    const withJwt = [900, 450, 880];
    const bypassed = [1000, 500, 1000];
    expect(pairedRatios(withJwt, bypassed)).toEqual({ ratios: [0.9, 0.9, 0.88], median: 0.9, min: 0.88, max: 0.9 });
    // The ratio of means would be dragged by whichever round was larger.
    expect(() => pairedRatios([1], [1, 2])).toThrow(/differ in length/);
    expect(pairedRatios([1], [0]).median).toBeNaN();
  });
});
