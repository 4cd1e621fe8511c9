// Bench-only Worker entry (bench/wrangler.toml): the real app, unchanged, plus routes the benchmarks
// compare it with. Never deployed: the production config (../wrangler.toml) points at
// worker/src/index.ts, so nothing here can reach production.
//
//   /__bench/jwt/{todos,me}      the production handlers behind requireJwt, on the same chain as below
//   /__bench/bypass/{todos,me}   the same handlers with the check bypassed (user id from X-Bench-User)
//   /__bench/session/{todos,me}  the same handlers authenticated "the common way": Better Auth's
//                                getSession from the session cookie on every request
//   GET /__bench/verify          JWT verification microbenchmark (cached key set vs import per call)
//   everything else              the production app
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requestId } from "hono/request-id";
import {
  type AccessTokenClaims,
  bearerToken,
  clearKeyCache,
  type VerifyOptions,
  verifyAccessToken,
} from "../worker/src/auth/access-token.ts";
import { createAuth } from "../worker/src/auth/better-auth.ts";
import { SIGNING_KEY_GRACE_PERIOD_SECONDS } from "../worker/src/auth/signing-keys.ts";
import { publicKeys } from "../worker/src/db/queries/signing-keys.ts";
import type { AppEnv } from "../worker/src/env.ts";
import { AppError, onError } from "../worker/src/errors.ts";
import app from "../worker/src/index.ts";
import { appContext } from "../worker/src/middleware/context.ts";
import { type AuthedEnv, requireJwt } from "../worker/src/middleware/require-jwt.ts";
import { meRoutes } from "../worker/src/routes/me.ts";
import { todoRoutes } from "../worker/src/routes/todos.ts";

export { RateLimiter } from "../worker/src/index.ts";

/** Trusts the caller's claim of who it is: only for measuring what the JWT check costs. */
const bypassAuth = createMiddleware<AuthedEnv>(async (c, next) => {
  const sub = c.req.header("X-Bench-User");
  if (!sub) throw new AppError("authentication_error", "X-Bench-User header required");
  c.set("user", { sub, email: "", name: "" });
  await next();
});

/** What most Better Auth apps do: look the session (and its user) up from the cookie on each request. */
const sessionAuth = createMiddleware<AuthedEnv>(async (c, next) => {
  const auth = createAuth(c.var.config, c.var.db);
  const session = await auth.api.getSession({ headers: c.req.raw.headers });
  if (!session) throw new AppError("authentication_error", "No valid session cookie");
  const user: AccessTokenClaims = { sub: session.user.id, email: session.user.email, name: session.user.name };
  c.set("user", user);
  await next();
});

/** The same chain for all three variants, so they differ only in how the caller is authenticated. */
function variant(auth: typeof requireJwt) {
  return new Hono<AuthedEnv>().use(auth).route("/todos", todoRoutes).route("/me", meRoutes) as unknown as Hono<AppEnv>;
}

const MAX_VERIFY_ITERATIONS = 20_000;

const bench = new Hono<AppEnv>();
bench.use("/__bench/*", requestId());
bench.use("/__bench/*", appContext);
bench.route("/__bench/jwt", variant(requireJwt));
bench.route("/__bench/bypass", variant(bypassAuth));
bench.route("/__bench/session", variant(sessionAuth));

// Verifies the bearer token n times, either against the module-scope key cache (what requireJwt
// does) or importing the public key again for every verification (the cache cleared each time).
// Keys come from the database once, before the loop, so the loop times crypto only. Elapsed time is
// measured by the client (workerd does not advance clocks during CPU work), against an n=0 call.
bench.get("/__bench/verify", async (c) => {
  const mode = c.req.query("mode");
  const n = Number(c.req.query("n") ?? "0");
  if ((mode !== "cached" && mode !== "import") || !Number.isInteger(n) || n < 0 || n > MAX_VERIFY_ITERATIONS) {
    throw new AppError("validation_error", `mode must be cached|import and n an integer 0..${MAX_VERIFY_ITERATIONS}`);
  }
  const token = bearerToken(c.req.header("Authorization"));
  const { config, db } = c.var;
  const rows = await publicKeys(db);
  // The options requireJwt passes, with the keys already in memory.
  const options: VerifyOptions = {
    issuer: config.publicBaseUrl,
    audience: config.publicBaseUrl,
    keyGracePeriodSeconds: SIGNING_KEY_GRACE_PERIOD_SECONDS,
    loadKeys: async () => rows,
  };
  clearKeyCache();
  const { sub } = await verifyAccessToken(token, options); // warms the cache; also proves the token is valid
  for (let i = 0; i < n; i++) {
    if (mode === "import") clearKeyCache();
    await verifyAccessToken(token, options);
  }
  clearKeyCache();
  return c.json({ mode, n, sub });
});

bench.onError(onError);
// Everything else is the production app, its own middleware and error handling included.
bench.all("*", (c) => app.fetch(c.req.raw, c.env, c.executionCtx));

export default bench;
