// `npm run db:migrate`: applies the SQL migrations in migrations/ and provisions the first JWT
// signing key. Target: DATABASE_URL (your Neon database, over a normal Postgres connection), or,
// when it is unset, the local PGlite data that `npm start` uses.
import { existsSync } from "node:fs";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { getConfig } from "../worker/src/config.ts";
import type { Db } from "../worker/src/db/client.ts";
import * as schema from "../worker/src/db/schema/index.ts";
import { readDevVars } from "./dev-vars.ts";
import { ensureSigningKey } from "./signing-key.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
if (existsSync(`${root}/.env`)) process.loadEnvFile(`${root}/.env`);
const migrationsFolder = `${root}/migrations`;

async function provisionKey(db: unknown) {
  const secret = process.env.BETTER_AUTH_SECRET ?? (process.env.DATABASE_URL ? undefined : readLocalSecret());
  if (!secret) {
    console.warn("BETTER_AUTH_SECRET is not set: skipped creating the first signing key.");
    return;
  }
  const config = getConfig({
    BETTER_AUTH_SECRET: secret,
    DATABASE_URL: process.env.DATABASE_URL ?? "postgres://local/edge_todo",
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? "http://localhost:8787",
  });
  // Any drizzle Postgres database serves Better Auth's adapter; the Worker's type names neon-http.
  const kids = await ensureSigningKey(config, db as Db);
  console.log(`signing keys: ${kids.length}`);
}

/** Locally, the secret the Worker uses is the one in .dev.vars. */
function readLocalSecret(): string | undefined {
  return existsSync(`${root}/.dev.vars`) ? readDevVars(root).BETTER_AUTH_SECRET : undefined;
}

if (process.env.DATABASE_URL) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const db = drizzlePg({ client, schema });
    await migratePg(db, { migrationsFolder });
    console.log("migrations applied to DATABASE_URL");
    await provisionKey(db);
  } finally {
    await client.end();
  }
} else {
  const dataDir = process.env.PGLITE_DATA_DIR ?? `${root}/.data/pglite`;
  const client = await PGlite.create(dataDir);
  try {
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    console.log(`migrations applied to ${dataDir}`);
    await provisionKey(db);
  } finally {
    await client.close();
  }
}
