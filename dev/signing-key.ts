// Creates the first JWT signing key ahead of traffic. Left to the first request, two racing requests
// could each create one; run once here (at `npm start`, `npm run db:migrate` and test setup) it cannot.
import { createAuth } from "../worker/src/auth/better-auth.ts";
import type { Config } from "../worker/src/config.ts";
import { createDb, type Db } from "../worker/src/db/client.ts";

/** Ensures the jwks table holds a signing key; returns the key ids it publishes. */
export async function ensureSigningKey(config: Config, db?: Db): Promise<string[]> {
  const auth = createAuth(config, db ?? (await createDb(config)));
  // The JWKS endpoint creates a key when there is none, with Better Auth's own encryption of the
  // private key under BETTER_AUTH_SECRET, exactly as the Worker would.
  const { keys } = await auth.api.getJwks();
  return keys.map((key) => String(key.kid));
}
