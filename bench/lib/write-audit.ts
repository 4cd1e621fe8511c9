// Lost-write accounting for the load test: what the responses said was written (every 201's id,
// minus every 204'd delete) against the rows actually there afterwards. Pure.

export interface FoundRow {
  id: string;
  userId: string;
}

export interface WriteAudit {
  /** Rows that should exist: created − deleted. */
  expected: number;
  /** Rows found (duplicates included). */
  found: number;
  /** Created, never deleted, but missing: lost creates. */
  missing: string[];
  /** Deleted (204) but still there: lost deletes. */
  undeleted: string[];
  /** Found but never returned by a 201: a write nobody was told about (a duplicate insert). */
  unknown: string[];
  /** Found under another user than the one whose request created it. */
  wrongOwner: string[];
  /** Ids found more than once (in a paginated listing: a page overlap). */
  duplicates: string[];
  /** Per user id: expected and found counts. */
  perUser: Record<string, { expected: number; found: number }>;
  /** 0 lost writes: every one of the lists above is empty, so found equals expected. */
  ok: boolean;
}

const SAMPLE = 20;

/** Compares the ledger (created: id → creating user id; deleted ids) with the rows found. */
export function auditWrites(input: {
  created: ReadonlyMap<string, string>;
  deleted: ReadonlySet<string>;
  found: readonly FoundRow[];
}): WriteAudit {
  const { created, deleted, found } = input;
  const perUser: Record<string, { expected: number; found: number }> = {};
  const bucket = (userId: string) => (perUser[userId] ??= { expected: 0, found: 0 });
  let expected = 0;
  for (const [id, userId] of created) {
    bucket(userId);
    if (!deleted.has(id)) {
      expected++;
      bucket(userId).expected++;
    }
  }

  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const undeleted: string[] = [];
  const unknown: string[] = [];
  const wrongOwner: string[] = [];
  for (const row of found) {
    bucket(row.userId).found++;
    if (seen.has(row.id)) {
      duplicates.add(row.id);
      continue;
    }
    seen.add(row.id);
    const creator = created.get(row.id);
    if (creator === undefined) unknown.push(row.id);
    else if (creator !== row.userId) wrongOwner.push(row.id);
    if (deleted.has(row.id)) undeleted.push(row.id);
  }
  const missing: string[] = [];
  for (const id of created.keys()) if (!deleted.has(id) && !seen.has(id)) missing.push(id);

  return {
    expected,
    found: found.length,
    missing,
    undeleted,
    unknown,
    wrongOwner,
    duplicates: [...duplicates],
    perUser,
    ok: !missing.length && !undeleted.length && !unknown.length && !wrongOwner.length && !duplicates.size,
  };
}

/** One line per problem, each with a few example ids: for the console and the report. */
export function describeAudit(audit: WriteAudit): string[] {
  const problems: [string, string[]][] = [
    ["lost creates (created, not deleted, missing)", audit.missing],
    ["lost deletes (answered 204, still there)", audit.undeleted],
    ["rows no 201 announced", audit.unknown],
    ["rows under the wrong user", audit.wrongOwner],
    ["ids listed twice", audit.duplicates],
  ];
  return problems
    .filter(([, ids]) => ids.length > 0)
    .map(
      ([label, ids]) => `${ids.length} ${label}: ${ids.slice(0, SAMPLE).join(", ")}${ids.length > SAMPLE ? ", …" : ""}`,
    );
}

/** An audit with counts instead of id lists (examples in `problems`), as load.json keeps it. */
export type AuditSummary = Omit<WriteAudit, "missing" | "undeleted" | "unknown" | "wrongOwner" | "duplicates"> & {
  missing: number;
  undeleted: number;
  unknown: number;
  wrongOwner: number;
  duplicates: number;
  problems: string[];
};

export function auditSummary(audit: WriteAudit): AuditSummary {
  return {
    ...audit,
    missing: audit.missing.length,
    undeleted: audit.undeleted.length,
    unknown: audit.unknown.length,
    wrongOwner: audit.wrongOwner.length,
    duplicates: audit.duplicates.length,
    problems: describeAudit(audit),
  };
}
