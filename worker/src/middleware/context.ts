// Puts the checked config and a per-request database client on the context. With Neon's HTTP driver
// the client holds no connection; in Hyperdrive mode it opens one TCP connection on the request's
// first query, which is closed here once the handler is done, after the response has gone.
import { createMiddleware } from "hono/factory";
import { getConfig } from "../config.ts";
import { closeDb, createDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";

export const appContext = createMiddleware<AppEnv>(async (c, next) => {
  const config = getConfig(c.env);
  c.set("config", config);
  const db = await createDb(config, c.env);
  c.set("db", db);
  try {
    await next();
  } finally {
    const closing = closeDb(db);
    try {
      c.executionCtx.waitUntil(closing);
    } catch {
      // No ExecutionContext (the app called directly, as some tools and tests do): the close runs
      // on its own; it never rejects.
    }
  }
});
