// The Worker's settings, read from `env` and checked once per isolate. A missing or malformed
// variable fails every request with a message naming it, rather than misbehaving later.
//
// Checked with zod/mini, the same validator as the rest of the app in its tree-shakable form: every
// request needs the config, so its schema is built at startup, where the same schema in zod's full
// API costs about 10 ms more startup CPU (`wrangler check startup`) against a 50 ms budget.
import * as z from "zod/mini";
import { log } from "./log.ts";

const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;
const DEFAULT_RATE_LIMIT = "10/60";
const DEFAULT_DB_TIMEOUT_MS = 5000;

export interface RateLimitRule {
  max: number;
  windowSeconds: number;
}

export interface Config {
  /** Public origin of the app, e.g. https://todo.example.com: cookies, trusted origin, JWT iss and aud. */
  publicBaseUrl: string;
  /** Origins allowed to call the API with credentials (CORS) and to make auth requests (CSRF). */
  trustedOrigins: string[];
  betterAuthSecret: string;
  /**
   * Versioned secrets while rotating BETTER_AUTH_SECRET: the first encrypts, all decrypt, and
   * BETTER_AUTH_SECRET still decrypts what predates versioning. Empty when not rotating.
   */
  betterAuthSecrets: { version: number; value: string }[];
  databaseUrl: string;
  /** Local Neon-compatible SQL endpoint; unset in production. */
  neonHttpEndpoint: string | undefined;
  accessTokenTtlSeconds: number;
  /** `null` when rate limiting is switched off (load tests only). */
  authRateLimit: RateLimitRule | null;
  dbTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An https origin; plain http only for localhost (over http, cookies cannot be Secure). */
const origin = z.pipe(
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).check(
    // Runs even when the URL check above failed: a value that is no URL is left to that check.
    z.refine((value) => {
      const url = URL.parse(value);
      return !url || url.protocol === "https:" || LOCAL_HOSTS.has(url.hostname);
    }, "must be https:// (http:// only for localhost)"),
  ),
  z.transform((value) => new URL(value).origin),
);

/** Maps the raw value with `fn` before `schema` checks it (zod/mini has no z.preprocess). */
function preprocess<S extends z.core.$ZodType<unknown, unknown>>(fn: (value: unknown) => unknown, schema: S) {
  return z.pipe(z.transform(fn), schema);
}

/** Adds a custom issue from inside a transform; what the transform then returns is discarded. */
function fail(payload: z.core.ParsePayload, input: unknown, message: string): never {
  payload.issues.push({ code: "custom", message, input });
  return z.NEVER;
}

const rateLimit = z.pipe(
  z.string().check(z.trim()),
  z.transform((value: string, payload): RateLimitRule | null => {
    if (value.toLowerCase() === "off") return null;
    const match = /^(\d+)\/(\d+)$/.exec(value);
    const max = Number(match?.[1]);
    const windowSeconds = Number(match?.[2]);
    if (!match || max < 1 || windowSeconds < 1) {
      return fail(payload, value, 'expected "<max>/<seconds>" (e.g. "10/60") or "off"');
    }
    return { max, windowSeconds };
  }),
);

const positiveInt = (fallback: number) =>
  preprocess(
    emptyToUndefined,
    z._default(
      z.pipe(
        z.coerce.number({ error: "must be a number" }),
        z.int({ error: "must be a whole number" }).check(z.positive("must be positive")),
      ),
      fallback,
    ),
  );

const versionedSecrets = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined, payload) => {
    if (value === undefined) return [];
    const entries = value.split(",").map((entry) => /^\s*(\d+):(.+?)\s*$/.exec(entry));
    if (entries.some((match) => !match || (match[2] ?? "").length < 32)) {
      return fail(payload, value, 'expected "<version>:<secret>,…" with secrets of 32+ characters');
    }
    return entries.map((match) => ({ version: Number(match![1]), value: match![2]! }));
  }),
);

const EnvSchema = z.object({
  PUBLIC_BASE_URL: origin,
  TRUSTED_ORIGINS: preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    z.array(origin),
  ),
  BETTER_AUTH_SECRET: z
    .string({ error: "is required (generate one with `openssl rand -base64 32`)" })
    .check(z.minLength(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)")),
  BETTER_AUTH_SECRETS: preprocess(emptyToUndefined, versionedSecrets),
  DATABASE_URL: z
    .string({ error: "is required (a postgres:// connection string)" })
    .check(z.regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")),
  NEON_HTTP_ENDPOINT: preprocess(emptyToUndefined, z.optional(z.url({ error: "must be a URL" }))),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(DEFAULT_ACCESS_TOKEN_TTL_SECONDS),
  AUTH_RATE_LIMIT: preprocess((value) => emptyToUndefined(value) ?? DEFAULT_RATE_LIMIT, rateLimit),
  DB_TIMEOUT_MS: positiveInt(DEFAULT_DB_TIMEOUT_MS),
});

/** The variables the Worker reads; the Worker passes its `env`, Node tooling a plain object. */
export type ConfigVars = { [K in keyof typeof EnvSchema.shape]?: string | undefined };

const cache = new WeakMap<object, Config>();

/** Parses `env` into a Config, once per env object; throws ConfigError naming every bad variable. */
export function getConfig(env: ConfigVars): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`Invalid Worker configuration: ${problems.join("; ")}`);
  }
  const vars = parsed.data;
  const config: Config = {
    publicBaseUrl: vars.PUBLIC_BASE_URL,
    trustedOrigins: [...new Set([vars.PUBLIC_BASE_URL, ...vars.TRUSTED_ORIGINS])],
    betterAuthSecret: vars.BETTER_AUTH_SECRET,
    betterAuthSecrets: vars.BETTER_AUTH_SECRETS,
    databaseUrl: vars.DATABASE_URL,
    neonHttpEndpoint: vars.NEON_HTTP_ENDPOINT,
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
    authRateLimit: vars.AUTH_RATE_LIMIT,
    dbTimeoutMs: vars.DB_TIMEOUT_MS,
  };
  if (!config.authRateLimit) {
    log("warn", "AUTH_RATE_LIMIT=off: sign-in, sign-up and password change are NOT rate limited");
  }
  cache.set(env, config);
  return config;
}
