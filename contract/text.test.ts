// The visible-text rule as a function: which texts a title or a name may be, and the words that say why not.
import { describe, expect, test } from "vitest";
import { visibleTextProblem } from "./text.ts";

describe("visibleTextProblem", () => {
  test.each([
    ["Buy milk"],
    ["Ada Lovelace"],
    ["José Ñúñez"],
    ["李小龍"],
    ["محمد"],
    // Bidi marks (not overrides) belong in mixed-direction text.
    ["abc\u200fمحمد"],
    // Joiners inside an emoji sequence, with something visible.
    ["👩\u200d💻"],
    ["x\u200b"],
    ["a b"],
  ])("accepts %j", (text) => {
    expect(visibleTextProblem(text, 100)).toBeUndefined();
  });

  test.each([
    ["", "must not be empty"],
    ["x".repeat(101), "must be at most 100 characters"],
    ["a\u0000b", "control characters"],
    ["a\nb", "control characters"],
    ["a\tb", "control characters"],
    ["bell\u0007", "control characters"],
    ["del\u007f", "control characters"],
    ["c1\u0085", "control characters"],
    ["a\u2028b", "control characters"],
    ["\u202egpj.exe", "bidirectional"],
    ["a\u2066b\u2069", "bidirectional"],
    ["\u200b", "visible character"],
    ["\u200b\u200c\u200d\ufeff", "visible character"],
    ["\u00a0\u3000", "visible character"],
    ["\u3164", "visible character"],
    ["\u{e0041}", "visible character"],
    ["a\ud800", "unpaired surrogate"],
    ["\udc00b", "unpaired surrogate"],
  ])("refuses %j: %s", (text, problem) => {
    expect(visibleTextProblem(text, 100)).toContain(problem);
  });

  test("counts length in UTF-16 code units, as an input's maxLength does", () => {
    expect(visibleTextProblem("😀".repeat(50), 100)).toBeUndefined();
    expect(visibleTextProblem("😀".repeat(51), 100)).toContain("at most 100");
  });
});
