// The Hono context types shared by every route and middleware. `Env` comes from `wrangler types`.
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";

export interface AppVariables {
  requestId: string;
  config: Config;
  db: Db;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
