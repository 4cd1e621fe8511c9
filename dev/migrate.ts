// `npm run db:migrate`: applies the SQL migrations in migrations/ and creates the first JWT signing
// key ahead of traffic, on DATABASE_URL or the local PGlite data (see dev/database.ts).
import { authConfig, openTarget } from "./database.ts";
import { ensureSigningKey, SigningKeyError } from "./signing-key.ts";

const target = await openTarget();
try {
  await target.migrate();
  console.log(`migrations applied to ${target.name}`);
  const config = authConfig();
  if (config) {
    const kids = await ensureSigningKey(config, target.db).catch((error: unknown) => {
      if (!(error instanceof SigningKeyError)) throw error;
      console.error(`✖ ${error.message}`);
      process.exit(1);
    });
    console.log(`signing keys: ${kids.length}`);
  } else if (process.env.DATABASE_URL) {
    // In production the first key must exist before traffic: two racing first requests would make two.
    console.error("Set BETTER_AUTH_SECRET (the Worker's) so the first JWT signing key can be created.");
    process.exitCode = 1;
  } else {
    console.warn("No .dev.vars yet (npm start creates it): skipped creating the first signing key.");
  }
} finally {
  await target.close();
}
