// Runs in Node before the Worker tests: starts the local Neon-compatible SQL endpoint (in-memory
// PGlite, or the PostgreSQL server named by TEST_DATABASE_URL), applies the migrations, and
// provisions the signing key, then hands the endpoint's URL to the Worker's bindings.
import type { TestProject } from "vitest/node";
import { ensureSigningKey } from "../../dev/signing-key.ts";
import { startSqlEndpoint } from "../../dev/sql-endpoint/server.ts";
import { getConfig } from "../src/config.ts";
import { TEST_BINDINGS } from "./settings.ts";

export default async function setup(project: TestProject) {
  const endpoint = await startSqlEndpoint({
    port: 0,
    databaseUrl: process.env.TEST_DATABASE_URL || undefined,
    migrationsDir: "migrations",
  });
  const config = getConfig({ ...TEST_BINDINGS, NEON_HTTP_ENDPOINT: endpoint.sqlUrl });
  await ensureSigningKey(config);
  project.provide("sqlEndpointUrl", endpoint.url);
  return () => endpoint.close();
}
