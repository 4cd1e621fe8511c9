// The sign-up form's live checklist: it ticks rule by rule as the password grows, and it is built
// from the very rules the server enforces, so what it accepts the server accepts.

import { describe, expect, it } from "vitest";
import { PASSWORD_RULES, unmetPasswordRules } from "#contract";
import { passwordChecklist } from "./password-checklist.ts";

const met = (password: string) =>
  passwordChecklist(password)
    .filter((item) => item.met)
    .map((item) => item.id);

describe("password checklist", () => {
  it("ticks each rule as the user types", () => {
    expect(met("")).toEqual([]);
    expect(met("s")).toEqual(["lowercase"]);
    expect(met("sU")).toEqual(["uppercase", "lowercase"]);
    expect(met("sU3")).toEqual(["uppercase", "lowercase", "digit"]);
    expect(met("sU3rsecr")).toEqual(["length", "uppercase", "lowercase", "digit"]);
  });

  it("un-ticks a rule when the user deletes what met it", () => {
    expect(met("Sup3r-secret")).toContain("digit");
    expect(met("Sup-secret")).not.toContain("digit");
  });

  it("counts letters and digits beyond ASCII, as the server does", () => {
    expect(met("ÉÇÜéèàü٣")).toEqual(["length", "uppercase", "lowercase", "digit"]);
  });

  it("shows the server's rules, in the server's order and words", () => {
    expect(passwordChecklist("").map((item) => [item.id, item.label])).toEqual(
      PASSWORD_RULES.map((rule) => [rule.id, rule.label]),
    );
    expect(PASSWORD_RULES.map((rule) => rule.id)).toEqual(["length", "uppercase", "lowercase", "digit"]);
  });

  it("accepts exactly what the server accepts", () => {
    for (const password of [
      "",
      "password",
      "PASSWORD1",
      "Password",
      "Pass1",
      "Password1",
      `${"x".repeat(129)}A1`,
      "Sup3r-secret",
    ]) {
      const serverUnmet = unmetPasswordRules(password).map((rule) => rule.id);
      const checklistUnmet = passwordChecklist(password)
        .filter((item) => !item.met)
        .map((item) => item.id);
      expect(checklistUnmet, password).toEqual(serverUnmet);
    }
  });
});
