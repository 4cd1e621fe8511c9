// Runs in Node before the worker-hyperdrive project: creates a fresh database on the PostgreSQL server
// named by TEST_HYPERDRIVE_SERVER, migrates it with drizzle's node-postgres migrator, provisions the
// signing key through a node-postgres drizzle database, and hands the Worker a local Hyperdrive
// binding to it (vitest.config.ts). Teardown drops the database.
//
// It also starts the local SQL endpoint on that same database. The Worker never uses it here (every
// request it serves goes through HYPERDRIVE, over TCP); the tests do, for what they read or arrange
// directly with createDb(config), and for their helpers' endpoint URL.
import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureSigningKey } from "../../dev/signing-key.ts";
import { redact } from "../../dev/sql-endpoint/backends/postgres.ts";
import { startSqlEndpoint } from "../../dev/sql-endpoint/server.ts";
import { getConfig } from "../src/config.ts";
import * as schema from "../src/db/schema/index.ts";
import { startConnectionGate, startSilentServer } from "./connection-gate.ts";
import { HYPERDRIVE_POOL_SIZE, HYPERDRIVE_SERVER_VARIABLE } from "./hyperdrive.ts";
import { TEST_BINDINGS } from "./settings.ts";

export default async function setup(project: TestProject) {
  const serverUrl = process.env[HYPERDRIVE_SERVER_VARIABLE];
  if (!serverUrl)
    throw new Error(`${HYPERDRIVE_SERVER_VARIABLE} is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)`);
  const name = `edge_todo_hyperdrive_${process.pid}_${randomBytes(4).toString("hex")}`;
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${name}`;

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(
      `cannot reach the PostgreSQL server ${HYPERDRIVE_SERVER_VARIABLE}=${redact(serverUrl)}: ${error.message}`,
    );
  });
  await admin.query(`CREATE DATABASE ${name}`);
  const cleanups: (() => Promise<unknown>)[] = [
    async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  ];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    const client = new pg.Client({ connectionString: databaseUrl.href });
    await client.connect();
    try {
      const db = drizzle({ client, schema });
      await migrate(db, { migrationsFolder: "migrations" });
      await ensureSigningKey(getConfig(TEST_BINDINGS), db);
    } finally {
      await client.end();
    }

    const endpoint = await startSqlEndpoint({ port: 0, databaseUrl: databaseUrl.href, migrationsDir: false });
    cleanups.push(() => endpoint.close());
    const gate = await startConnectionGate(
      { host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) },
      HYPERDRIVE_POOL_SIZE,
    );
    cleanups.push(() => gate.close());
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());

    // miniflare's binding wants a password even where the server asks for none (trust auth).
    const binding = new URL(databaseUrl);
    binding.hostname = "127.0.0.1";
    binding.port = String(gate.port);
    binding.password ||= "unused";
    binding.searchParams.set("sslmode", "disable");

    project.provide("sqlEndpointUrl", endpoint.url);
    project.provide("hyperdrive", { connectionString: binding.href, silentPort: silent.port });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
