// `npm run db:check`: fails when the drizzle schema has changed without a migration, i.e. when
// `npm run db:generate` would write a new file. CI runs it so schema and migrations cannot drift.
import { readdirSync, readFileSync } from "node:fs";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import * as schema from "../worker/src/db/schema/index.ts";

const metaDir = new URL("../migrations/meta/", import.meta.url);
const snapshots = readdirSync(metaDir)
  .filter((name) => name.endsWith("_snapshot.json"))
  .sort();
const latest = snapshots.at(-1);
if (!latest) throw new Error("no migration snapshots in migrations/meta; run `npm run db:generate`");

const previous = JSON.parse(readFileSync(new URL(latest, metaDir), "utf8"));
const current = generateDrizzleJson(schema, previous.id);
const pending = await generateMigration(previous, current);

if (pending.length) {
  console.error(`The schema differs from the last migration (${latest}); run \`npm run db:generate\`:\n`);
  console.error(pending.join("\n"));
  process.exit(1);
}
console.log(`migrations are up to date with the schema (${latest})`);
