// The JWT signing key, from the tooling's side. Creates the first key ahead of traffic (left to the
// first request, two racing requests could each create one; run once here, at `npm start`,
// `npm run db:migrate` and test setup, it cannot), and refuses to go on when the stored key does
// not decrypt with the configured secret, saying why and how to fix it.
import { createAuth } from "../worker/src/auth/better-auth.ts";
import { signingKeyProblem } from "../worker/src/auth/signing-key-check.ts";
import type { Config } from "../worker/src/config.ts";
import { createDb, type Db } from "../worker/src/db/client.ts";

/** The signing key cannot be used with this configuration; the message names both fixes. */
export class SigningKeyError extends Error {
  override name = "SigningKeyError";
}

/**
 * Ensures the jwks table holds a signing key this configuration can sign with; returns the key ids
 * it publishes. Throws SigningKeyError when the key does not decrypt with the configured secret.
 */
export async function ensureSigningKey(config: Config, db?: Db): Promise<string[]> {
  const auth = createAuth(config, db ?? (await createDb(config)));
  // The JWKS endpoint creates a key when there is none, with Better Auth's own encryption of the
  // private key under BETTER_AUTH_SECRET, exactly as the Worker would.
  const { keys } = await auth.api.getJwks();
  const problem = await signingKeyProblem(auth);
  if (problem) throw new SigningKeyError(problem);
  return keys.map((key) => String(key.kid));
}
