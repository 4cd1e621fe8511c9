// What the access-token verifier reads of the jwks table: public keys only, never the (encrypted)
// private ones.
import type { Db } from "../client.ts";
import { jwks } from "../schema/index.ts";

export function publicKeys(db: Db) {
  return db.select({ id: jwks.id, publicKey: jwks.publicKey, alg: jwks.alg, expiresAt: jwks.expiresAt }).from(jwks);
}
