// `npm run db:migrate`: applies the SQL migrations in migrations/ and creates the first JWT signing
// key ahead of traffic, on DATABASE_URL or the local PGlite data (see dev/database.ts).
import { authConfig, openTarget } from "./database.ts";
import { ensureSigningKey } from "./signing-key.ts";

const target = await openTarget();
try {
  await target.migrate();
  console.log(`migrations applied to ${target.name}`);
  const config = authConfig();
  if (config) {
    const kids = await ensureSigningKey(config, target.db);
    console.log(`signing keys: ${kids.length}`);
  } else {
    console.warn("BETTER_AUTH_SECRET is not set: skipped creating the first signing key.");
  }
} finally {
  await target.close();
}
