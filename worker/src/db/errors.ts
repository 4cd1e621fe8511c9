// Sorts database failures into what the client should hear: "retry later" (503), "conflicts with
// existing data" (409), or a bug (500). Works on errors from the Neon driver, wrapped or not by drizzle.
import { NeonDbError } from "@neondatabase/serverless";
import { DrizzleQueryError } from "drizzle-orm/errors";

export type DatabaseErrorKind = "unavailable" | "conflict" | "other";

// SQLSTATE classes that mean "the database cannot serve this right now": connection exceptions (08),
// insufficient resources (53), operator intervention such as shutdown or cancel (57), and
// serialization failures or deadlocks (40001, 40P01) that a retry resolves.
const UNAVAILABLE_SQLSTATE = /^(08|53|57)|^40001$|^40P01$/;

/** Returns the kind of database error `err` is, or `undefined` if it is not one. */
export function classifyDatabaseError(err: unknown): DatabaseErrorKind | undefined {
  const inner = err instanceof DrizzleQueryError && err.cause ? err.cause : err;
  if (inner instanceof NeonDbError) {
    // No SQLSTATE: the request never reached Postgres (network failure, timeout, proxy error).
    if (!inner.code) return "unavailable";
    if (UNAVAILABLE_SQLSTATE.test(inner.code)) return "unavailable";
    if (inner.code === "23505") return "conflict";
    return "other";
  }
  if (err instanceof DrizzleQueryError) {
    // The driver failed before it had a Postgres answer: an unreadable response, an aborted fetch.
    if (inner instanceof SyntaxError || isAbort(inner)) return "unavailable";
    return "other";
  }
  return isAbort(err) ? "unavailable" : undefined;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/** What may be logged about a database error: never the query's parameters (hashes, tokens, e-mails). */
export function describeDatabaseError(err: unknown): string | undefined {
  const inner = err instanceof DrizzleQueryError && err.cause ? err.cause : err;
  if (inner instanceof NeonDbError) return `NeonDbError${inner.code ? ` ${inner.code}` : ""}: ${inner.message}`;
  if (err instanceof DrizzleQueryError) {
    // Its own message embeds the query's parameters; only the cause is safe to repeat.
    return inner !== err && inner instanceof Error ? `${inner.name}: ${inner.message}` : "DrizzleQueryError";
  }
  return undefined;
}
