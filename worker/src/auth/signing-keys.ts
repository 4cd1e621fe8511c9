// JWT signing keys: the jwt plugin's key store (cached in the isolate) and rotation.
//
// Rotation publishes before it signs: the new key is written with a start time in the future
// (`activatesAt`, a column this app adds to the jwt plugin's table) and the current keys get that
// same time as their expiry. Until then every token is still signed with
// the old key while every verifier, whose key cache lives at most 5 minutes, picks the new public
// key up; from then on tokens carry the new kid and are accepted everywhere at once, whatever an
// attacker does to the unknown-kid reload budget. Retired keys keep verifying the tokens they signed
// for the grace period.
import type { BetterAuthPlugin } from "better-auth";
import { createJwk, type Jwk, type JwtOptions, type jwt } from "better-auth/plugins/jwt";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jwks } from "../db/schema/index.ts";

export { SIGNING_KEY_GRACE_PERIOD_SECONDS } from "./access-token.ts";

type AuthLike = { $context: Promise<unknown> };

/** How long an isolate signs with the key rows it read, before reading them again. */
const SIGNING_KEYS_CACHE_MS = 5 * 60_000;
/** How long the public JWKS answer may be reused (it also sends Cache-Control with this age). */
const JWKS_CACHE_MS = 60_000;
/**
 * How far ahead a rotation publishes the new key: twice the longest any cache (the verifiers' key
 * set, the signers' rows) holds on to the old view.
 */
export const KEY_ACTIVATION_DELAY_SECONDS = 2 * (SIGNING_KEYS_CACHE_MS / 1000);

type KeyStore = Required<NonNullable<JwtOptions["adapter"]>>;

/** A key row as this app stores it: the jwt plugin's fields, and when the key starts signing. */
type SigningKey = Jwk & { activatesAt?: Date | null };

/** Adds `activatesAt` to the jwt plugin's jwks table, so Better Auth reads and writes it. */
export const signingKeyActivation = {
  id: "signing-key-activation",
  schema: { jwks: { fields: { activatesAt: { type: "date", required: false } } } },
} satisfies BetterAuthPlugin;

let cachedRows: { rows: SigningKey[]; readAt: number } | undefined;

/**
 * The jwt plugin's key store, with the rows (private keys still encrypted) cached in the isolate:
 * minting an access token then needs no query for its key, which makes the token endpoint one
 * round trip instead of two. Signing sees only keys whose start time has come; the JWKS endpoint
 * publishes every key, pre-published ones included. A key made here clears the cache.
 */
export const cachedKeyStore: KeyStore = {
  async getJwks(ctx) {
    const now = Date.now();
    const publishing = ctx.path === "/jwks";
    const maxAge = publishing ? JWKS_CACHE_MS : SIGNING_KEYS_CACHE_MS;
    if (!cachedRows || now - cachedRows.readAt >= maxAge) {
      cachedRows = { rows: await ctx.context.adapter.findMany<SigningKey>({ model: "jwks" }), readAt: now };
    }
    return publishing ? cachedRows.rows : cachedRows.rows.filter((key) => (key.activatesAt?.getTime() ?? 0) <= now);
  },
  async createJwk(webKey, ctx) {
    cachedRows = undefined;
    return ctx.context.adapter.create<Omit<Jwk, "id">, Jwk>({
      model: "jwks",
      data: { ...webKey, createdAt: new Date() },
    });
  },
};

/**
 * Creates a new signing key that starts signing after `activationDelaySeconds` (published at once),
 * and retires the current keys at that moment; returns the new key's id. A delay of 0 switches at
 * once (after a key leak): verifiers then find the new key through their unknown-kid reload.
 */
export async function rotateSigningKey(
  auth: AuthLike,
  db: Db,
  jwtOptions: Parameters<typeof jwt>[0],
  activationDelaySeconds = KEY_ACTIVATION_DELAY_SECONDS,
): Promise<string> {
  const context = await auth.$context;
  const created = (await createJwk({ context } as Parameters<typeof createJwk>[0], jwtOptions)) as { id: string };
  const switchAt = new Date(Date.now() + activationDelaySeconds * 1000);
  await db.update(jwks).set({ activatesAt: switchAt }).where(eq(jwks.id, created.id));
  await db
    .update(jwks)
    .set({ expiresAt: switchAt })
    .where(and(ne(jwks.id, created.id), isNull(jwks.expiresAt)));
  cachedRows = undefined;
  return created.id;
}
