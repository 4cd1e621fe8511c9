// A user's sessions (signed-in browsers and devices), for listing and revoking them one by one.
// Tokens never leave the database: sessions are named by id.
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { session } from "../schema/index.ts";

export function listSessions(db: Db, userId: string) {
  return db
    .select({
      id: session.id,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      expiresAt: session.expiresAt,
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
    })
    .from(session)
    .where(and(eq(session.userId, userId), gt(session.expiresAt, sql`now()`)))
    .orderBy(desc(session.updatedAt));
}

/** Ends one of the user's sessions; false when the user has no session with that id. */
export async function revokeSession(db: Db, userId: string, id: string): Promise<boolean> {
  // Postgres text cannot hold NUL, so no session has an id with one (and Postgres would refuse it).
  if (id.includes("\u0000")) return false;
  const rows = await db
    .delete(session)
    .where(and(eq(session.id, id), eq(session.userId, userId)))
    .returning({ id: session.id });
  return rows.length > 0;
}
