// JWT signing keys: how long a rotated-out key keeps verifying, and rotation itself. Rotating makes
// a new key (which signs from then on, and which verifiers find at once by its kid) and marks the old
// ones expired, so they verify only the tokens they already signed, for the grace period.
import { createJwk, type Jwk, type JwtOptions, type jwt } from "better-auth/plugins/jwt";
import { and, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jwks } from "../db/schema/index.ts";

export { SIGNING_KEY_GRACE_PERIOD_SECONDS } from "./access-token.ts";

type AuthLike = { $context: Promise<unknown> };

/** How long an isolate signs with the key rows it read, before reading them again. */
const SIGNING_KEYS_CACHE_MS = 5 * 60_000;

type KeyStore = Required<NonNullable<JwtOptions["adapter"]>>;

let cachedRows: { rows: Jwk[]; readAt: number } | undefined;

/**
 * The jwt plugin's key store, with the rows (private keys still encrypted) cached in the isolate:
 * minting an access token then needs no query for its key, which makes the token endpoint one
 * round trip instead of two. The JWKS endpoint always reads the table, so it publishes a key made by
 * another isolate at once; a key made here clears the cache.
 */
export const cachedKeyStore: KeyStore = {
  async getJwks(ctx) {
    const now = Date.now();
    if (ctx.path !== "/jwks" && cachedRows && now - cachedRows.readAt < SIGNING_KEYS_CACHE_MS) return cachedRows.rows;
    const rows = await ctx.context.adapter.findMany<Jwk>({ model: "jwks" });
    cachedRows = { rows, readAt: now };
    return rows;
  },
  async createJwk(webKey, ctx) {
    cachedRows = undefined;
    return ctx.context.adapter.create<Omit<Jwk, "id">, Jwk>({
      model: "jwks",
      data: { ...webKey, createdAt: new Date() },
    });
  },
};

/** Creates a new signing key and retires the others; returns the new key's id. */
export async function rotateSigningKey(auth: AuthLike, db: Db, jwtOptions: Parameters<typeof jwt>[0]): Promise<string> {
  const context = await auth.$context;
  const created = (await createJwk({ context } as Parameters<typeof createJwk>[0], jwtOptions)) as { id: string };
  await db
    .update(jwks)
    .set({ expiresAt: new Date() })
    .where(and(ne(jwks.id, created.id), isNull(jwks.expiresAt)));
  return created.id;
}
