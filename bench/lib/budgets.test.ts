import { describe, expect, it } from "vitest";
import { BUDGETS, broken, evaluateBudgets } from "./budgets.ts";

describe("budgets", () => {
  it("fail the check on a stable figure over its limit or not measured, never on a timing", () => {
    const figures: Record<string, number> = Object.fromEntries(BUDGETS.map((b) => [b.id, b.limit]));
    figures["startup.activeMs"] = 500; // a slow machine must not fail CI
    figures["authOverhead.ratio"] = 0.1;
    expect(broken(evaluateBudgets(figures))).toEqual([]);

    figures["bundle.gzipBytes"] = 350 * 1024 + 1;
    figures["roundTrips.list"] = 2;
    delete figures["pageWeight.jsGzipBytes"];
    expect(broken(evaluateBudgets(figures)).map((r) => [r.id, r.status])).toEqual([
      ["roundTrips.list", "fail"],
      ["bundle.gzipBytes", "fail"],
      ["pageWeight.jsGzipBytes", "missing"],
    ]);
  });

  it("judge a minimum (native scrypt, the auth-overhead ratio) the other way round", () => {
    const status = (id: string, value: number) => evaluateBudgets({ [id]: value }).find((r) => r.id === id)?.status;
    expect(status("bundle.nativeScrypt", 1)).toBe("pass");
    expect(status("bundle.nativeScrypt", 0)).toBe("fail");
    expect(status("authOverhead.ratio", 0.95)).toBe("pass");
    expect(status("authOverhead.ratio", 0.85)).toBe("fail");
  });
});
