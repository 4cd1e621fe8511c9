// `npm run keys:rotate`: a new JWT signing key, which signs from now on (each isolate switches within
// 5 minutes; verifiers accept it at once), while the old keys keep verifying the tokens they signed
// for the 24 h grace period. Needs the Worker's BETTER_AUTH_SECRET(S) to encrypt the new private key.
// Runs on DATABASE_URL or the local PGlite data (see dev/database.ts).
import { createAuth, jwtPluginOptions } from "../worker/src/auth/better-auth.ts";
import { rotateSigningKey } from "../worker/src/auth/signing-keys.ts";
import { authConfig, openTarget } from "./database.ts";

const config = authConfig();
if (!config) {
  console.error("Set BETTER_AUTH_SECRET (and BETTER_AUTH_SECRETS while rotating it) to the Worker's values.");
  process.exit(1);
}
const target = await openTarget();
try {
  const kid = await rotateSigningKey(createAuth(config, target.db), target.db, jwtPluginOptions(config));
  console.log(`${target.name}: new signing key ${kid}; older keys retire after the grace period`);
} finally {
  await target.close();
}
