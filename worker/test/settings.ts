// The Worker's settings under test, shared by the vitest config (bindings), global setup (which
// provisions the signing key with the same secret) and the tests themselves.
export const TEST_BINDINGS = {
  PUBLIC_BASE_URL: "http://localhost:8787",
  TRUSTED_ORIGINS: "http://localhost:5173",
  BETTER_AUTH_SECRET: "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  DATABASE_URL: "postgres://edge:edge@localhost:5432/edge_todo",
  ACCESS_TOKEN_TTL_SECONDS: "60",
  AUTH_RATE_LIMIT: "5/60",
  // Generous: the race tests queue hundreds of statements on one embedded database.
  DB_TIMEOUT_MS: "10000",
} as const;

declare module "vitest" {
  interface ProvidedContext {
    /** Base URL of the local SQL endpoint (http://127.0.0.1:PORT); its /sql is the Neon endpoint. */
    sqlEndpointUrl: string;
  }
}
