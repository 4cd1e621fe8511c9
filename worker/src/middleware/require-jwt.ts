// Guards the todo API: a valid access JWT in `Authorization: Bearer`, or 401. Sets `user` from the
// token's claims; the database is read only to (re)load public keys, never per request.
import { createMiddleware } from "hono/factory";
import {
  type AccessTokenClaims,
  bearerToken,
  SIGNING_KEY_GRACE_PERIOD_SECONDS,
  verifyAccessToken,
} from "../auth/access-token.ts";
import type { AppEnv } from "../env.ts";

export interface RequireJwtVariables {
  user: AccessTokenClaims;
}

/** The context of routes behind requireJwt. */
export interface AuthedEnv {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & RequireJwtVariables;
}

export const requireJwt = createMiddleware<AuthedEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  const { config, db } = c.var;
  const user = await verifyAccessToken(token, {
    issuer: config.publicBaseUrl,
    audience: config.publicBaseUrl,
    keyGracePeriodSeconds: SIGNING_KEY_GRACE_PERIOD_SECONDS,
    // Imported on the first key load: the schema and query builder are not needed before.
    loadKeys: async () => (await import("../db/queries/signing-keys.ts")).publicKeys(db),
  });
  c.set("user", user);
  await next();
});
