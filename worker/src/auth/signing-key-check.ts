// Whether the Worker can sign access tokens: its signing key must decrypt with BETTER_AUTH_SECRET
// (or one of BETTER_AUTH_SECRETS). A secret replaced without the rotation procedure leaves the
// stored key undecryptable and nobody can get an access token; `npm start`, `npm run deploy` and
// GET /api/health say so, naming the cause and both fixes, instead of every token request failing.
import type { Auth } from "./better-auth.ts";

export const UNDECRYPTABLE_SIGNING_KEY =
  "The JWT signing key cannot be decrypted with BETTER_AUTH_SECRET (the secret was changed without the rotation procedure). " +
  'Either keep the old secret decrypting with BETTER_AUTH_SECRETS="2:<new secret>,1:<old secret>" ' +
  '(docs/operations.md, "Rotating BETTER_AUTH_SECRET"), or make a key under the new secret with ' +
  "`npm run keys:rotate -- --now` (sessions signed with the old secret then end).";

/** Better Auth's own error when a stored private key does not decrypt (secret-rotation.test.ts pins it). */
export function isUndecryptableSigningKey(err: unknown): boolean {
  return err instanceof Error && err.message.includes("Failed to decrypt private key");
}

/** Signs a throwaway token the way the token endpoint does; the problem, or undefined when it works. */
export async function signingKeyProblem(auth: Auth): Promise<string | undefined> {
  try {
    await auth.api.signJWT({ body: { payload: { sub: "signing-key-check" } } });
    return undefined;
  } catch (err) {
    if (isUndecryptableSigningKey(err)) return UNDECRYPTABLE_SIGNING_KEY;
    throw err;
  }
}
