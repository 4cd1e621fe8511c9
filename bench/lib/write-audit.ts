// Lost-write accounting for the load test: what the responses said was written (every 201's id,
// minus every 204'd delete) against the rows actually there afterwards.

export interface FoundRow {
  id: string;
  userId: string;
}

const PROBLEMS = {
  missing: "lost creates (created, not deleted, missing)",
  undeleted: "lost deletes (answered 204, still there)",
  unknown: "rows no 201 announced",
  wrongOwner: "rows under the wrong user",
  duplicates: "ids listed twice",
} as const;
type Problem = keyof typeof PROBLEMS;

export type WriteAudit = Record<Problem, string[]> & {
  /** Rows that should exist: created − deleted. */
  expected: number;
  /** Rows found (duplicates included). */
  found: number;
  /** 0 lost writes: no problem of any kind, so found equals expected. */
  ok: boolean;
};

/** Compares the ledger (created: id → creating user id; deleted ids) with the rows found. */
export function auditWrites(input: {
  created: ReadonlyMap<string, string>;
  deleted: ReadonlySet<string>;
  found: readonly FoundRow[];
}): WriteAudit {
  const { created, deleted, found } = input;
  const problems: Record<Problem, string[]> = {
    missing: [],
    undeleted: [],
    unknown: [],
    wrongOwner: [],
    duplicates: [],
  };
  const seen = new Set<string>();
  for (const row of found) {
    if (seen.has(row.id)) {
      if (!problems.duplicates.includes(row.id)) problems.duplicates.push(row.id);
      continue;
    }
    seen.add(row.id);
    const creator = created.get(row.id);
    if (creator === undefined) problems.unknown.push(row.id);
    else if (creator !== row.userId) problems.wrongOwner.push(row.id);
    if (deleted.has(row.id)) problems.undeleted.push(row.id);
  }
  let expected = 0;
  for (const id of created.keys()) {
    if (deleted.has(id)) continue;
    expected++;
    if (!seen.has(id)) problems.missing.push(id);
  }
  const ok = Object.values(problems).every((ids) => ids.length === 0);
  return { ...problems, expected, found: found.length, ok };
}

/** One line per problem, each with a few example ids: for the console and the report. */
export function describeAudit(audit: WriteAudit): string[] {
  return (Object.keys(PROBLEMS) as Problem[])
    .filter((problem) => audit[problem].length > 0)
    .map((problem) => {
      const ids = audit[problem];
      return `${ids.length} ${PROBLEMS[problem]}: ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? ", …" : ""}`;
    });
}

/** An audit with counts instead of id lists (examples in `problems`), as load.json keeps it. */
export type AuditSummary = Record<Problem, number> & {
  expected: number;
  found: number;
  ok: boolean;
  problems: string[];
};

export function auditSummary(audit: WriteAudit): AuditSummary {
  const counts = Object.fromEntries((Object.keys(PROBLEMS) as Problem[]).map((p) => [p, audit[p].length]));
  return {
    ...(counts as Record<Problem, number>),
    expected: audit.expected,
    found: audit.found,
    ok: audit.ok,
    problems: describeAudit(audit),
  };
}
