// The database the maintenance scripts (db:migrate, keys:rotate) work on: DATABASE_URL over a
// normal Postgres connection (your Neon database in production), or, when it is unset, the local
// PGlite data that `npm start` uses (stop `npm start` first: PGlite allows one process at a time).
// Also the Better Auth settings they need, from the environment or, locally, from .dev.vars.
import { existsSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { type Config, getConfig } from "../worker/src/config.ts";
import type { Db } from "../worker/src/db/client.ts";
import * as schema from "../worker/src/db/schema/index.ts";
import { readDevVars } from "./dev-vars.ts";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
if (existsSync(`${root}/.env`)) process.loadEnvFile(`${root}/.env`);
const migrationsFolder = `${root}/migrations`;

export interface Target {
  /** Where it is, for messages (never the password). */
  name: string;
  /** Any drizzle Postgres database serves Better Auth's adapter and our queries; the type names the Worker's. */
  db: Db;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export async function openTarget(): Promise<Target> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const db = drizzlePg({ client, schema });
    return {
      name: `DATABASE_URL (${new URL(url).host})`,
      db,
      migrate: () => migratePg(db, { migrationsFolder }),
      close: () => client.end(),
    };
  }
  const dataDir = process.env.PGLITE_DATA_DIR ?? `${root}/.data/pglite`;
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite({ client, schema });
  return {
    name: dataDir,
    db,
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * The Worker's Better Auth settings: BETTER_AUTH_SECRET (and BETTER_AUTH_SECRETS while rotating) from
 * the environment, or locally from .dev.vars. Undefined when no secret is known.
 */
export function authConfig(): Config | undefined {
  const local = !process.env.DATABASE_URL && existsSync(`${root}/.dev.vars`) ? readDevVars(root) : {};
  const secret = process.env.BETTER_AUTH_SECRET ?? local.BETTER_AUTH_SECRET;
  if (!secret) return undefined;
  return getConfig({
    BETTER_AUTH_SECRET: secret,
    BETTER_AUTH_SECRETS: process.env.BETTER_AUTH_SECRETS ?? local.BETTER_AUTH_SECRETS,
    DATABASE_URL: process.env.DATABASE_URL ?? "postgres://local/edge_todo",
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? local.PUBLIC_BASE_URL ?? "http://localhost:8787",
  });
}
