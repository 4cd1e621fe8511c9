// The Worker's settings, read from `env` and checked once per isolate. A missing or malformed
// variable fails every request with a message naming it, rather than misbehaving later.
import * as z from "zod";

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

/** An https origin; plain http only on this machine (over http, cookies cannot be Secure). */
const origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === "https:" || LOCAL_HOSTS.has(url.hostname);
  }, "must be https:// (http:// only for localhost)")
  .transform((value) => new URL(value).origin);

const rateLimit = z
  .string()
  .trim()
  .transform((value, ctx): RateLimitRule | null => {
    if (value.toLowerCase() === "off") return null;
    const match = /^(\d+)\/(\d+)$/.exec(value);
    const max = Number(match?.[1]);
    const windowSeconds = Number(match?.[2]);
    if (!match || max < 1 || windowSeconds < 1) {
      ctx.addIssue({ code: "custom", message: 'expected "<max>/<seconds>" (e.g. "10/60") or "off"' });
      return z.NEVER;
    }
    return { max, windowSeconds };
  });

const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

const EnvSchema = z.object({
  PUBLIC_BASE_URL: origin,
  TRUSTED_ORIGINS: z.preprocess(
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
    .min(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)"),
  BETTER_AUTH_SECRETS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return [];
        const entries = value.split(",").map((entry) => /^\s*(\d+):(.+?)\s*$/.exec(entry));
        if (entries.some((match) => !match || (match[2] ?? "").length < 32)) {
          ctx.addIssue({ code: "custom", message: 'expected "<version>:<secret>,…" with secrets of 32+ characters' });
          return z.NEVER;
        }
        return entries.map((match) => ({ version: Number(match![1]), value: match![2]! }));
      }),
  ),
  DATABASE_URL: z
    .string({ error: "is required (a postgres:// connection string)" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
  NEON_HTTP_ENDPOINT: z.preprocess(emptyToUndefined, z.url().optional()),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(DEFAULT_ACCESS_TOKEN_TTL_SECONDS),
  AUTH_RATE_LIMIT: z.preprocess((value) => emptyToUndefined(value) ?? DEFAULT_RATE_LIMIT, rateLimit),
  DB_TIMEOUT_MS: positiveInt(DEFAULT_DB_TIMEOUT_MS),
});

/** The variables the Worker reads; the Worker passes its `env`, Node tooling a plain object. */
export type ConfigVars = { [K in keyof z.input<typeof EnvSchema>]?: string | undefined };

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
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "AUTH_RATE_LIMIT=off: sign-in, sign-up and password change are NOT rate limited",
      }),
    );
  }
  cache.set(env, config);
  return config;
}
