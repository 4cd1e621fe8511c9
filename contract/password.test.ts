// The password rules as functions: which rules a password breaks, and the sentence that says so.
import { describe, expect, test } from "vitest";
import { describeUnmetRules, unmetPasswordRules } from "./password.ts";

describe("unmetPasswordRules", () => {
  test.each([
    ["Abcdefg1", []],
    ["abcdefg1", ["uppercase"]],
    ["ABCDEFG1", ["lowercase"]],
    ["Abcdefgh", ["digit"]],
    ["Ab1", ["length"]],
    ["", ["length", "uppercase", "lowercase", "digit"]],
    [`A1${"b".repeat(126)}`, []],
    [`A1${"b".repeat(127)}`, ["length"]],
  ])("%s breaks %j", (password, rules) => {
    expect(unmetPasswordRules(password).map((rule) => rule.id)).toEqual(rules);
  });

  test("describes the unmet rules in one sentence", () => {
    expect(describeUnmetRules(unmetPasswordRules("abc"))).toBe(
      "Password must be 8 to 128 characters long and contain an uppercase letter and a number.",
    );
  });
});
