// Configuration is checked once, and a bad value is named in the error.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { ConfigError, getConfig } from "./config.ts";

function configWith(overrides: Record<string, string | undefined>) {
  return () => getConfig({ ...env, ...overrides });
}

describe("getConfig", () => {
  test("reads the test bindings", () => {
    const config = getConfig(env);
    expect(config.publicBaseUrl).toBe("http://localhost:8787");
    expect(config.trustedOrigins).toEqual(["http://localhost:8787", "http://localhost:5173"]);
    expect(config.authRateLimit).toEqual({ max: 5, windowSeconds: 60 });
  });

  test.each([
    [{ BETTER_AUTH_SECRET: undefined }, "BETTER_AUTH_SECRET is required"],
    [{ BETTER_AUTH_SECRET: "short" }, "BETTER_AUTH_SECRET must be at least 32 characters"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL must be a postgres:// connection string"],
    [{ PUBLIC_BASE_URL: "localhost:8787" }, "PUBLIC_BASE_URL must be an http(s) URL"],
    [{ PUBLIC_BASE_URL: undefined }, "PUBLIC_BASE_URL must be an http(s) URL"],
    [{ PUBLIC_BASE_URL: "" }, "PUBLIC_BASE_URL must be an http(s) URL"],
    [{ PUBLIC_BASE_URL: "not a url" }, "PUBLIC_BASE_URL must be an http(s) URL"],
    [{ PUBLIC_BASE_URL: "https://a.example:99999" }, "PUBLIC_BASE_URL must be an http(s) URL"],
    [{ TRUSTED_ORIGINS: "https://ok.example,garbage" }, "TRUSTED_ORIGINS.1 must be an http(s) URL"],
    [{ PUBLIC_BASE_URL: "http://todo.example.com" }, "PUBLIC_BASE_URL must be https:// (http:// only for localhost)"],
    [{ TRUSTED_ORIGINS: "http://app.example.com" }, "TRUSTED_ORIGINS.0 must be https://"],
    [{ TRUSTED_ORIGINS: "https://ok.example, ftp://nope" }, "TRUSTED_ORIGINS"],
    [{ AUTH_RATE_LIMIT: "ten per minute" }, 'AUTH_RATE_LIMIT expected "<max>/<seconds>"'],
    [{ ACCESS_TOKEN_TTL_SECONDS: "-5" }, "ACCESS_TOKEN_TTL_SECONDS must be positive"],
    [{ ACCESS_TOKEN_TTL_SECONDS: "1.5" }, "ACCESS_TOKEN_TTL_SECONDS must be a whole number"],
    [{ DB_TIMEOUT_MS: "soon" }, "DB_TIMEOUT_MS must be a number"],
    [{ NEON_HTTP_ENDPOINT: "not a url" }, "NEON_HTTP_ENDPOINT must be a URL"],
    [{ BETTER_AUTH_SECRETS: "1:short" }, 'BETTER_AUTH_SECRETS expected "<version>:<secret>,…"'],
  ])("%j fails naming the variable", (overrides, message) => {
    expect(configWith(overrides)).toThrow(ConfigError);
    expect(configWith(overrides)).toThrow(message);
  });

  test("AUTH_RATE_LIMIT=off disables rate limiting", () => {
    expect(configWith({ AUTH_RATE_LIMIT: "off" })().authRateLimit).toBeNull();
  });

  test("defaults apply when optional settings are empty", () => {
    const config = configWith({ ACCESS_TOKEN_TTL_SECONDS: "", AUTH_RATE_LIMIT: "", NEON_HTTP_ENDPOINT: "" })();
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.authRateLimit).toEqual({ max: 10, windowSeconds: 60 });
    expect(config.neonHttpEndpoint).toBeUndefined();
  });
});
