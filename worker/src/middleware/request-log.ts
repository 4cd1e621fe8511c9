// One structured JSON log line per API request, tagged with the request id the client also gets in
// X-Request-Id. It records what happened, never what was sent: no query string (a token could be in
// it), no headers, no bodies, so passwords, tokens and cookies cannot reach the logs.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { log } from "../log.ts";

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  const status = c.res.status;
  const user = (c.var as { user?: { sub: string } }).user;
  log(status >= 500 ? "error" : "info", "request", {
    requestId: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
    status,
    // Wall time in Workers advances only across I/O: this is time spent waiting, not CPU.
    ms: Date.now() - started,
    ...(user ? { userId: user.sub } : {}),
  });
});
