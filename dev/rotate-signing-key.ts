// `npm run keys:rotate`: a new JWT signing key, published at once and signing from 10 minutes on, by
// when every verifier has it; the old keys keep verifying the tokens they signed for the 24 h grace
// period. `npm run keys:rotate -- --now` switches at once (after a key leak): verifiers then find the
// new key by its unknown kid. Needs the Worker's BETTER_AUTH_SECRET(S) to encrypt the new private key.
// Runs on DATABASE_URL or the local PGlite data (see dev/database.ts).
import { createAuth, jwtPluginOptions } from "../worker/src/auth/better-auth.ts";
import { KEY_ACTIVATION_DELAY_SECONDS, rotateSigningKey } from "../worker/src/auth/signing-keys.ts";
import { authConfig, openTarget } from "./database.ts";

const config = authConfig();
if (!config) {
  console.error("Set BETTER_AUTH_SECRET (and BETTER_AUTH_SECRETS while rotating it) to the Worker's values.");
  process.exit(1);
}
const target = await openTarget();
try {
  const delay = process.argv.includes("--now") ? 0 : KEY_ACTIVATION_DELAY_SECONDS;
  const kid = await rotateSigningKey(createAuth(config, target.db), target.db, jwtPluginOptions(config), delay);
  const when = delay ? `in ${delay / 60} minutes (published now)` : "now";
  console.log(`${target.name}: new signing key ${kid} signs ${when}; older keys verify for the grace period`);
} finally {
  await target.close();
}
