// The Hono context types shared by every route and middleware. `Env` comes from `wrangler types`.
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";

// HYPERDRIVE is optional and commented out in wrangler.toml (it needs the id of a Hyperdrive config
// in your account), so `wrangler types` cannot see it. Typed here instead: when it is bound, the
// Worker talks to Postgres over TCP through it (db/client.ts); when it is not, over Neon's HTTP API.
declare global {
  interface Env {
    HYPERDRIVE?: Hyperdrive;
  }
  namespace Cloudflare {
    interface Env {
      HYPERDRIVE?: Hyperdrive;
    }
  }
}

export interface AppVariables {
  requestId: string;
  config: Config;
  db: Db;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
