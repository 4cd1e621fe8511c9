import { describe, expect, it } from "vitest";
import { BUDGETS, describeResult, evaluateBudgets, formatBytes, gatedFailures } from "./budgets.ts";

describe("budget evaluation", () => {
  it("passes a figure at its limit and fails one over it", () => {
    const [atLimit, over] = evaluateBudgets({ "roundTrips.tokenRefresh": 1, "roundTrips.list": 2 }).filter((r) =>
      ["roundTrips.tokenRefresh", "roundTrips.list"].includes(r.id),
    );
    expect(atLimit?.status).toBe("pass");
    expect(over?.status).toBe("fail");
  });

  it("treats a minimum budget (the auth-overhead ratio) the other way round", () => {
    const ratio = (value: number) =>
      evaluateBudgets({ "authOverhead.ratio": value }).find((r) => r.id === "authOverhead.ratio");
    expect(ratio(0.95)?.status).toBe("pass");
    expect(ratio(0.85)?.status).toBe("fail");
  });

  it("fails the check on a broken or unmeasured stable figure, never on a timing", () => {
    const figures: Record<string, number> = Object.fromEntries(
      BUDGETS.map((b) => [b.id, b.kind === "max" ? b.limit : b.limit]),
    );
    figures["startup.activeMs"] = 500; // a slow machine must not fail CI
    figures["authOverhead.ratio"] = 0.1;
    expect(gatedFailures(evaluateBudgets(figures))).toEqual([]);

    figures["bundle.gzipBytes"] = 350 * 1024 + 1;
    delete figures["pageWeight.jsGzipBytes"];
    const failures = gatedFailures(evaluateBudgets(figures)).map((r) => [r.id, r.status]);
    expect(failures).toEqual([
      ["bundle.gzipBytes", "fail"],
      ["pageWeight.jsGzipBytes", "missing"],
    ]);
  });

  it("says which figure breaks which budget", () => {
    const [result] = evaluateBudgets({ "roundTrips.tokenRefresh": 3 }).filter(
      (r) => r.id === "roundTrips.tokenRefresh",
    );
    expect(describeResult(result!)).toBe("FAIL DB round trips: token refresh (GET /api/auth/token): 3, budget ≤ 1");
    const [bundle] = evaluateBudgets({ "bundle.gzipBytes": 361_472 }).filter((r) => r.id === "bundle.gzipBytes");
    expect(describeResult(bundle!)).toBe("FAIL Worker bundle, gzip: 353.0 KiB, budget ≤ 350.0 KiB");
  });

  it("formats bytes in KiB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(40 * 1024)).toBe("40.0 KiB");
  });

  it("holds the native-scrypt check as a yes/no figure", () => {
    const [scrypt] = evaluateBudgets({ "bundle.nativeScrypt": 0 }).filter((r) => r.id === "bundle.nativeScrypt");
    expect(scrypt?.status).toBe("fail");
    expect(describeResult(scrypt!)).toBe(
      "FAIL node:crypto's native scrypt bundled, no JavaScript scrypt: no, budget yes",
    );
  });
});
