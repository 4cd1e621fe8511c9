// Puts the checked config and a per-request database client on the context. The client holds no
// connection (each query is its own HTTP round trip), so making one per request costs no I/O.
import { createMiddleware } from "hono/factory";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";

export const appContext = createMiddleware<AppEnv>(async (c, next) => {
  const config = getConfig(c.env);
  c.set("config", config);
  c.set("db", createDb(config));
  await next();
});
