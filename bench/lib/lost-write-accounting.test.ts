import { describe, expect, it } from "vitest";
import { auditSummary, auditWrites, describeAudit } from "./write-audit.ts";

const created = new Map([
  ["a1", "alice"],
  ["a2", "alice"],
  ["a3", "alice"],
  ["b1", "bob"],
]);
const deleted = new Set(["a2"]);
const rows = (...pairs: [string, string][]) => pairs.map(([id, userId]) => ({ id, userId }));

describe("lost-write accounting (201s minus 204s against the rows found)", () => {
  it("passes when exactly the created and not deleted rows are there", () => {
    const audit = auditWrites({ created, deleted, found: rows(["a1", "alice"], ["a3", "alice"], ["b1", "bob"]) });
    expect(audit.ok).toBe(true);
    expect(audit.expected).toBe(3);
    expect(audit.found).toBe(3);
    expect(describeAudit(audit)).toEqual([]);
  });

  it("finds a create that was answered 201 but is not there", () => {
    const audit = auditWrites({ created, deleted, found: rows(["a1", "alice"], ["b1", "bob"]) });
    expect(audit.ok).toBe(false);
    expect(audit.missing).toEqual(["a3"]);
    expect(describeAudit(audit)).toEqual(["1 lost creates (created, not deleted, missing): a3"]);
  });

  it("finds a delete that was answered 204 but whose row is still there", () => {
    const audit = auditWrites({
      created,
      deleted,
      found: rows(["a1", "alice"], ["a2", "alice"], ["a3", "alice"], ["b1", "bob"]),
    });
    expect(audit.ok).toBe(false);
    expect(audit.undeleted).toEqual(["a2"]);
    expect(audit.missing).toEqual([]);
  });

  it("finds rows no response announced, rows under the wrong user and ids listed twice, even when the count matches", () => {
    // Same count as expected (3), and still three different problems.
    const audit = auditWrites({
      created,
      deleted,
      found: rows(["a1", "alice"], ["zz", "alice"], ["b1", "alice"], ["a1", "alice"]),
    });
    expect(audit.ok).toBe(false);
    expect(audit.unknown).toEqual(["zz"]);
    expect(audit.wrongOwner).toEqual(["b1"]);
    expect(audit.duplicates).toEqual(["a1"]);
    expect(audit.missing).toEqual(["a3"]);
    const summary = auditSummary(audit);
    expect(summary).toMatchObject({
      ok: false,
      expected: 3,
      found: 4,
      missing: 1,
      unknown: 1,
      wrongOwner: 1,
      duplicates: 1,
      undeleted: 0,
    });
    expect(summary.problems).toHaveLength(4);
  });

  it("counts a user whose every todo was deleted as expecting zero", () => {
    const audit = auditWrites({ created: new Map([["c1", "carol"]]), deleted: new Set(["c1"]), found: [] });
    expect(audit.ok).toBe(true);
    expect(audit.expected).toBe(0);
  });
});
