// JWT signing keys: how long a rotated-out key keeps verifying, and rotation itself. Rotating makes
// a new key (which signs from then on, and which verifiers find at once by its kid) and marks the old
// ones expired, so they verify only the tokens they already signed, for the grace period.
import { createJwk, type jwt } from "better-auth/plugins/jwt";
import { and, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jwks } from "../db/schema/index.ts";

/**
 * How long a rotated-out signing key keeps verifying (and stays in the JWKS). Any grace longer than
 * the access-token lifetime lets every token it signed run out naturally.
 */
export const SIGNING_KEY_GRACE_PERIOD_SECONDS = 24 * 60 * 60;

type AuthLike = { $context: Promise<unknown> };

/** Creates a new signing key and retires the others; returns the new key's id. */
export async function rotateSigningKey(
  auth: AuthLike,
  db: Db,
  jwtOptions: Parameters<typeof jwt>[0],
): Promise<string> {
  const context = await auth.$context;
  const created = (await createJwk({ context } as Parameters<typeof createJwk>[0], jwtOptions)) as { id: string };
  await db
    .update(jwks)
    .set({ expiresAt: new Date() })
    .where(and(ne(jwks.id, created.id), isNull(jwks.expiresAt)));
  return created.id;
}
