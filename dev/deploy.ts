// `npm run deploy`: builds the web app, checks the migrations, then `wrangler deploy` (the Worker
// and web/dist as its assets, one origin). `npm run deploy -- --dry-run` does everything but the
// upload, offline; CI runs it. Other arguments go to wrangler.
//
// Production settings come from the environment so wrangler.toml can keep local defaults:
//   PUBLIC_BASE_URL (required for a real deploy), TRUSTED_ORIGINS (optional) become Worker vars;
//   DATABASE_URL (optional) lets the script confirm the database has every migration applied, and
//   with BETTER_AUTH_SECRET(S) as well, that the Worker's secret decrypts the signing key.
// Secrets (BETTER_AUTH_SECRET, DATABASE_URL) are set once with `wrangler secret put`. After the
// upload, the deployed Worker's /api/health must answer 200: a secret changed without the rotation
// procedure shows there (the signing key does not decrypt), and the deploy fails saying so.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { createAuth } from "../worker/src/auth/better-auth.ts";
import { signingKeyProblem } from "../worker/src/auth/signing-key-check.ts";
import { getConfig } from "../worker/src/config.ts";
import * as schema from "../worker/src/db/schema/index.ts";
import { authConfig } from "./database.ts";
import { root } from "./local-stack.ts";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function fail(message: string): never {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

// 1. The settings this deploy gives the Worker, checked as the Worker will check them.
const publicBaseUrl = process.env.PUBLIC_BASE_URL;
const vars: Record<string, string> = {};
if (publicBaseUrl) vars.PUBLIC_BASE_URL = publicBaseUrl;
if (process.env.TRUSTED_ORIGINS) vars.TRUSTED_ORIGINS = process.env.TRUSTED_ORIGINS;
if (!publicBaseUrl) {
  const message = "PUBLIC_BASE_URL is not set: the Worker would keep wrangler.toml's http://localhost:8787";
  if (!dryRun) fail(`${message}. Run as PUBLIC_BASE_URL=https://your.domain npm run deploy.`);
  console.warn(`! ${message} (fine for a dry run).`);
} else {
  try {
    // Placeholders for the secrets, which only Cloudflare holds; the rest is checked for real.
    getConfig({ ...vars, BETTER_AUTH_SECRET: "x".repeat(32), DATABASE_URL: "postgres://checked-at-runtime" });
  } catch (error) {
    fail((error as Error).message);
  }
  if (!dryRun && !publicBaseUrl.startsWith("https://"))
    fail(`PUBLIC_BASE_URL must be https:// in production, not ${publicBaseUrl}`);
}

// 2. Schema and migrations agree; with DATABASE_URL, the database has them all and a signing key.
run("npm", ["run", "--silent", "db:check"]);
if (process.env.DATABASE_URL) {
  const journal = JSON.parse(readFileSync(`${root}/migrations/meta/_journal.json`, "utf8")) as { entries: unknown[] };
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect().catch((error: Error) => fail(`cannot reach DATABASE_URL: ${error.message}`));
  try {
    // A missing table means nothing was applied yet; any other failure is reported as it is.
    const count = (table: string) =>
      client.query<{ count: string }>(`select count(*) from ${table}`).then(
        (r) => Number(r.rows[0]?.count ?? 0),
        (error: { code?: string; message: string }) => {
          if (error.code === "42P01" || error.code === "3F000") return 0;
          fail(`reading ${table}: ${error.message}`);
        },
      );
    const applied = await count("drizzle.__drizzle_migrations");
    if (applied < journal.entries.length) {
      fail(`the database has ${applied} of ${journal.entries.length} migrations: run \`npm run db:migrate\` first.`);
    }
    if ((await count("jwks")) === 0) {
      fail("the database has no JWT signing key: run `npm run db:migrate` with the Worker's BETTER_AUTH_SECRET.");
    }
    console.log(`database: all ${applied} migrations applied, signing key present`);
    const config = authConfig();
    if (config) {
      const problem = await signingKeyProblem(createAuth(config, drizzle({ client, schema })));
      if (problem) fail(problem);
      console.log("signing key: decrypts with BETTER_AUTH_SECRET");
    }
  } finally {
    await client.end();
  }
} else {
  console.warn("! DATABASE_URL is not set: not checking that the database has every migration.");
}

// 3. The web app (with HSTS, which local builds leave out), then the Worker with it.
process.env.WEB_HSTS = "1";
run("npm", ["run", "--silent", "build:web"]);
const outdir = dryRun && !args.includes("--outdir") ? ["--outdir", "dist/worker"] : [];
run("wrangler", [
  "deploy",
  ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ...outdir,
  ...args,
]);

// 4. The deployed Worker answers its health check: its database, and a signing key it can use.
if (!dryRun && publicBaseUrl) {
  let health: { status: number; body: { detail?: string } } | undefined;
  // A new version takes a few seconds to reach every location.
  for (let attempt = 0; attempt < 10 && health?.status !== 200; attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 3000));
    health = await fetch(`${publicBaseUrl}/api/health`).then(
      async (res) => ({ status: res.status, body: (await res.json().catch(() => ({}))) as { detail?: string } }),
      () => undefined,
    );
  }
  if (!health) console.warn(`! ${publicBaseUrl}/api/health did not answer (custom domain not routed yet?)`);
  else if (health.status !== 200) fail(`the deployed Worker is unhealthy (${health.status}): ${health.body.detail}`);
  else console.log(`${publicBaseUrl}/api/health: ok`);
}
