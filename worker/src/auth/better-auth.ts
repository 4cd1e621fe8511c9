// createAuth(config, db): the Better Auth instance. Email + password accounts, 30-day sliding
// sessions in an httpOnly cookie, and the jwt plugin issuing short-lived EdDSA access tokens whose
// claims are pinned to exactly sub, email, name, iat, exp, iss and aud.

import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { betterAuth } from "better-auth/minimal";
import { jwt } from "better-auth/plugins/jwt";
import {
  describeUnmetRules,
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  unmetPasswordRules,
  visibleTextProblem,
} from "#contract";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import * as schema from "../db/schema/index.ts";
import { previousSecrets, resignSessionCookie } from "./cookie-rotation.ts";
import { cachedKeyStore, SIGNING_KEY_GRACE_PERIOD_SECONDS, signingKeyActivation } from "./signing-keys.ts";

const DAY_SECONDS = 24 * 60 * 60;

/** Better Auth endpoints that set an e-mail address, and the body field carrying it. */
const EMAIL_FIELDS: Record<string, string> = {
  "/sign-up/email": "email",
  "/change-email": "newEmail",
};

/** Better Auth endpoints that set a name or an image: a user's profile. */
const PROFILE_PATHS = new Set(["/sign-up/email", "/update-user"]);

/** Longest profile image URL, in characters: longer ones are not links people make. */
const IMAGE_URL_MAX_LENGTH = 2048;

/** Better Auth endpoints that set a password, and the body field carrying the new one. */
const PASSWORD_FIELDS: Record<string, string> = {
  "/sign-up/email": "password",
  "/change-password": "newPassword",
  "/reset-password": "newPassword",
  "/set-password": "newPassword",
};

/**
 * Better Auth's endpoints that this app does not use: switched off, so they answer 404 and stay out
 * of the OpenAPI document. The app uses e-mail and password accounts, sessions and access tokens:
 * sign-up, sign-in, sign-out, get-session, token, jwks, change-password, update-user (a name
 * change), revoke-sessions and revoke-other-sessions. Better Auth compares these with the request's
 * path literally, so routes/auth.ts answers 404 itself for the ones with a path parameter.
 */
const UNUSED_ENDPOINTS = [
  // They name sessions by token, which must not reach page scripts; /api/sessions replaces them.
  "/list-sessions",
  "/revoke-session",
  // No social or OAuth providers are configured.
  "/sign-in/social",
  "/callback/:id",
  "/link-social",
  "/unlink-account",
  "/list-accounts",
  "/account-info",
  "/refresh-token",
  "/get-access-token",
  // No e-mail is sent (no verification, no reset link), so none of these can complete.
  "/send-verification-email",
  "/verify-email",
  "/request-password-reset",
  "/reset-password",
  "/reset-password/:token",
  "/change-email",
  // Account deletion is not enabled (user.deleteUser), so both answer an error.
  "/delete-user",
  "/delete-user/callback",
  // No session fields of this app's own to update; a password check without a use here.
  "/update-session",
  "/verify-password",
  // Better Auth's liveness probe and its HTML error page (for OAuth redirects); /api/health is ours.
  "/ok",
  "/error",
];

/** The jwt plugin's options; shared with the signing-key provisioning script. */
export function jwtPluginOptions(config: Config) {
  return {
    jwks: { keyPairConfig: { alg: "EdDSA", crv: "Ed25519" }, gracePeriod: SIGNING_KEY_GRACE_PERIOD_SECONDS },
    adapter: cachedKeyStore,
    jwt: {
      // Fixed from config, never derived from the request's Host header.
      issuer: config.publicBaseUrl,
      audience: config.publicBaseUrl,
      expirationTime: `${config.accessTokenTtlSeconds}s`,
      // By default the whole user row goes into the token; keep it to what the API needs.
      definePayload: ({ user }: { user: { email: string; name: string } }) => ({ email: user.email, name: user.name }),
    },
    // The SPA asks /token for a JWT when it needs one; minting one on every get-session is wasted work.
    disableSettingJwtHeader: true,
  } as const;
}

export function createAuth(config: Config, db: Db) {
  const olderSecrets = previousSecrets(config);
  return betterAuth({
    appName: "edge-todo",
    baseURL: config.publicBaseUrl,
    basePath: "/api/auth",
    disabledPaths: UNUSED_ENDPOINTS,
    secret: config.betterAuthSecret,
    // While rotating: encrypt with the first, decrypt with any (docs/operations.md, "Rotating").
    ...(config.betterAuthSecrets.length ? { secrets: config.betterAuthSecrets } : {}),
    trustedOrigins: config.trustedOrigins,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema,
      // Each multi-write flow (sign-up: user, account and session) in one transaction: a real one
      // over TCP (Hyperdrive), one batch of inserts over Neon's HTTP API (db/neon-http.ts).
      transaction: true,
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
    },
    session: {
      expiresIn: 30 * DAY_SECONDS,
      // Sliding renewal: a session used at least once a day never expires.
      updateAge: DAY_SECONDS,
      // Off: a cached session would outlive its revocation by the cache's max age.
      cookieCache: { enabled: false },
    },
    // The Worker rate-limits sign-in, sign-up and password changes itself, with a counter shared by
    // all isolates (a Durable Object); Better Auth's limiter keeps per-isolate memory by default.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      // One query for a session with its user (token endpoint) and a user with its accounts
      // (sign-in), through the drizzle relations in db/schema/auth.ts.
      database: { joins: true },
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
      useSecureCookies: config.publicBaseUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // Better Auth turns these checks off when it detects a test run; keep them on everywhere.
      disableCSRFCheck: false,
      disableOriginCheck: false,
    },
    // Non-API errors (a database outage) reach the Worker's onError, which answers 503 rather than
    // Better Auth's bodiless 500.
    onAPIError: { throw: true },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // Better Auth stores any string as a name or an image, and Postgres refuses only NUL (as a
        // 500). Both follow the API's text rules (#contract) here; the name is in every access token.
        let body: Record<string, unknown> | undefined;
        if (PROFILE_PATHS.has(ctx.path)) {
          if (ctx.path === "/sign-up/email" || ctx.body?.name !== undefined) {
            body = { ...ctx.body, name: checkedName(ctx.body?.name) };
          }
          checkImage(ctx.body?.image);
        }
        const emailField = EMAIL_FIELDS[ctx.path];
        if (emailField) checkEmailLength(ctx.body?.[emailField]);
        const field = PASSWORD_FIELDS[ctx.path];
        const password: unknown = field ? ctx.body?.[field] : undefined;
        if (typeof password === "string") {
          const unmet = unmetPasswordRules(password);
          if (unmet.length) {
            throw new APIError("BAD_REQUEST", {
              code: "PASSWORD_POLICY",
              message: describeUnmetRules(unmet),
              unmetRules: unmet.map((rule) => rule.id),
            });
          }
        }
        const headers = await resignSessionCookie(ctx, olderSecrets);
        // A password change signs out every other session: whoever knew the old password is out.
        if (ctx.path === "/change-password") body = { ...ctx.body, revokeOtherSessions: true };
        if (headers || body) return { context: { ...(headers ? { headers } : {}), ...(body ? { body } : {}) } };
      }),
    },
    plugins: [jwt(jwtPluginOptions(config)), signingKeyActivation],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<Db, Auth>();

/**
 * The Better Auth instance for `db`, built on its first request: over Neon's HTTP API (one database
 * per config) that is once per isolate; over TCP (Hyperdrive) once per request, as its database
 * connection is the request's.
 */
export function authFor(config: Config, db: Db): Auth {
  let auth = instances.get(db);
  if (!auth) {
    auth = createAuth(config, db);
    instances.set(db, auth);
  }
  return auth;
}

/** The name as it will be stored, trimmed like a todo's title, or a 400 saying which rule it breaks. */
function checkedName(name: unknown): string {
  const problem =
    typeof name === "string" ? visibleTextProblem(name.trim(), NAME_MAX_LENGTH) : "is required (a string)";
  if (problem) throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: `Name ${problem}.` });
  return (name as string).trim();
}

/** A profile image is a link (http or https), or null for none. */
function checkImage(image: unknown): void {
  if (image === undefined || image === null) return;
  const problem =
    typeof image !== "string"
      ? "must be a URL or null"
      : (visibleTextProblem(image, IMAGE_URL_MAX_LENGTH) ??
        (/^https?:\/\/\S+$/i.test(image) && URL.canParse(image) ? undefined : "must be an http or https URL"));
  if (problem) throw new APIError("BAD_REQUEST", { code: "INVALID_IMAGE", message: `Image ${problem}.` });
}

/** Better Auth checks an address's form; its length is bounded here (EMAIL_MAX_LENGTH). */
function checkEmailLength(email: unknown): void {
  if (typeof email === "string" && email.length > EMAIL_MAX_LENGTH) {
    throw new APIError("BAD_REQUEST", {
      code: "INVALID_EMAIL",
      message: `Email must be at most ${EMAIL_MAX_LENGTH} characters.`,
    });
  }
}
