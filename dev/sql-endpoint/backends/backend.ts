// The contract both database backends meet: run statements and return Postgres text-format results.
import { existsSync } from "node:fs";
import { join } from "node:path";

/** A bound parameter in Postgres text format; null is SQL NULL. */
export type Param = string | null;

export type Statement = { query: string; params: Param[] };

/** One column of a RowDescription message. */
export type Field = {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
};

export type RawResult = {
  fields: Field[];
  /** Every value as Postgres sends it in text format; the caller decides how to present it. */
  rows: (string | null)[][];
  command: string;
  rowCount: number | null;
};

export type IsolationLevel = "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";

export type TxOptions = { isolationLevel?: IsolationLevel; readOnly: boolean; deferrable: boolean };

export interface Backend {
  /** One statement in autocommit mode, as Neon runs a non-batch request. */
  run(statement: Statement): Promise<RawResult>;
  /** All statements in one transaction, rolled back if any fails. */
  runBatch(statements: Statement[], tx: TxOptions): Promise<RawResult[]>;
  /** Applies drizzle-kit migrations; returns false when the folder holds no journal yet. */
  migrate(migrationsFolder: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The fields of a Postgres error, in the order Neon's error body lists them. */
export const errorFieldNames = [
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "severity",
  "where",
  "table",
  "column",
  "schema",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

export type ErrorFieldName = (typeof errorFieldNames)[number];

/**
 * An ErrorResponse from Postgres itself. Anything else a backend throws is an infrastructure failure,
 * which Neon reports differently (HTTP 500), so the two must stay distinguishable.
 */
export class PostgresError extends Error {
  readonly fields: Record<ErrorFieldName, string | undefined>;

  constructor(message: string, fields: Record<ErrorFieldName, string | undefined>) {
    super(message);
    this.name = "PostgresError";
    this.fields = fields;
  }

  /** Both PGlite and node-postgres use pg-protocol's DatabaseError, so one copy fits both. */
  static fromDatabaseError(error: Error & Partial<Record<ErrorFieldName, string>>): PostgresError {
    const fields = {} as Record<ErrorFieldName, string | undefined>;
    for (const name of errorFieldNames) fields[name] = error[name] ?? undefined;
    return new PostgresError(error.message, fields);
  }
}

const isolationSql: Record<IsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/** The BEGIN a Neon batch starts with; only options that were asked for are spelled out, as Neon does. */
export function beginStatement(tx: TxOptions): string {
  const modes: string[] = [];
  if (tx.isolationLevel) modes.push(`ISOLATION LEVEL ${isolationSql[tx.isolationLevel]}`);
  if (tx.readOnly) modes.push("READ ONLY");
  if (tx.deferrable) modes.push("DEFERRABLE");
  return modes.length > 0 ? `BEGIN ${modes.join(", ")}` : "BEGIN";
}

/**
 * Neon's proxy reports `command` and `rowCount` from the CommandComplete tag this way: the first word,
 * and the last number (INSERT's tag carries an OID before the count).
 */
export function parseCommandTag(tag: string): { command: string; rowCount: number | null } {
  const space = tag.indexOf(" ");
  if (space === -1) return { command: tag, rowCount: null };
  const command = tag.slice(0, space);
  const rest = tag.slice(space + 1);
  const countText = command === "INSERT" ? rest.slice(rest.indexOf(" ") + 1) : rest;
  const rowCount = /^\d+$/.test(countText) ? Number(countText) : null;
  return { command, rowCount };
}

/** drizzle's migrator throws without a journal; an app with no migrations yet is normal, not an error. */
export function hasMigrationJournal(migrationsFolder: string): boolean {
  return existsSync(join(migrationsFolder, "meta", "_journal.json"));
}
