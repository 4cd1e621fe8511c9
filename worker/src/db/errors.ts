// Sorts database failures into what the client should hear: "retry later" (503), "conflicts with
// existing data" (409: an integrity constraint refused the change), "a value the database cannot
// take" (422: a data exception, such as NUL in text or a date out of range), or a bug (500). Works
// the same on both drivers, wrapped or not by drizzle: the Neon HTTP driver's errors and
// node-postgres's (Hyperdrive mode).
//
// The drivers are loaded on first use (db/client.ts), so this module does not import them: each
// driver module registers the error type it reports Postgres's answers with when it loads. An
// error can only come from a driver that has loaded.
import { DrizzleQueryError } from "drizzle-orm/errors";

export type DatabaseErrorKind = "unavailable" | "conflict" | "invalid" | "other";

/**
 * The database could not be reached or stopped answering before Postgres said anything: connection
 * refused or reset, connect or query timeout. Thrown by the node-postgres client (db/node-postgres.ts);
 * the Neon driver's equivalent is a NeonDbError without a SQLSTATE.
 */
export class DatabaseConnectionError extends Error {
  override name = "DatabaseConnectionError";
}

// SQLSTATE classes that mean "the database cannot serve this right now": connection exceptions (08),
// insufficient resources (53), operator intervention such as shutdown or cancel (57), and
// serialization failures or deadlocks (40001, 40P01) that a retry resolves.
const UNAVAILABLE_SQLSTATE = /^(08|53|57)|^40001$|^40P01$/;

/** An error a driver throws for an answer from Postgres: it carries the SQLSTATE as `code`. */
type ServerError = Error & { code?: string | undefined };

interface ServerErrorType {
  type: abstract new (...args: never[]) => ServerError;
  /** How logs name it (class names do not survive minification). */
  label: string;
}

const serverErrorTypes: ServerErrorType[] = [];

/** Called by a driver module as it loads: `type` is how that driver reports Postgres's answers. */
export function recognizeServerErrors(type: ServerErrorType["type"], label: string): void {
  if (!serverErrorTypes.some((known) => known.type === type)) serverErrorTypes.push({ type, label });
}

function serverErrorLabel(err: unknown): string | undefined {
  return serverErrorTypes.find(({ type }) => err instanceof type)?.label;
}

/** The SQLSTATE of Postgres's answer that `err` reports, if it reports one. */
export function sqlState(err: unknown): string | undefined {
  const inner = err instanceof DrizzleQueryError && err.cause ? err.cause : err;
  return serverErrorLabel(inner) ? (inner as ServerError).code : undefined;
}

/** Returns the kind of database error `err` is, or `undefined` if it is not one. */
export function classifyDatabaseError(err: unknown): DatabaseErrorKind | undefined {
  const inner = err instanceof DrizzleQueryError && err.cause ? err.cause : err;
  // An answer from Postgres (through Neon's HTTP endpoint or over TCP), or a failure without one.
  if (serverErrorLabel(inner)) return classifySqlState((inner as ServerError).code);
  if (inner instanceof DatabaseConnectionError) return "unavailable";
  if (err instanceof DrizzleQueryError) {
    // The driver failed before it had a Postgres answer: an unreadable response, an aborted fetch.
    if (inner instanceof SyntaxError || isAbort(inner)) return "unavailable";
    return "other";
  }
  return isAbort(err) ? "unavailable" : undefined;
}

function classifySqlState(code: string | undefined): DatabaseErrorKind {
  // No SQLSTATE: the request never reached Postgres (network failure, timeout, proxy error).
  if (!code) return "unavailable";
  if (UNAVAILABLE_SQLSTATE.test(code)) return "unavailable";
  // Class 23, integrity constraint violation: unique, foreign key, check, not null, exclusion.
  if (code.startsWith("23")) return "conflict";
  // Class 22, data exception: a value the column or cast cannot hold.
  if (code.startsWith("22")) return "invalid";
  return "other";
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/** What may be logged about a database error: never the query's parameters (hashes, tokens, e-mails). */
export function describeDatabaseError(err: unknown): string | undefined {
  const inner = err instanceof DrizzleQueryError && err.cause ? err.cause : err;
  // Its message is the server's primary message; the detail, which may quote row values, is left out.
  const label = serverErrorLabel(inner);
  if (label) {
    const { code, message } = inner as ServerError;
    return `${label}${code ? ` ${code}` : ""}: ${message}`;
  }
  if (inner instanceof DatabaseConnectionError) {
    const cause = inner.cause instanceof Error ? ` (${inner.cause.name}: ${inner.cause.message})` : "";
    return `${inner.name}: ${inner.message}${cause}`;
  }
  if (err instanceof DrizzleQueryError) {
    // Its own message embeds the query's parameters; only the cause is safe to repeat.
    return inner !== err && inner instanceof Error ? `${inner.name}: ${inner.message}` : "DrizzleQueryError";
  }
  return undefined;
}
