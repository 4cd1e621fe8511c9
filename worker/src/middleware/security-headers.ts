// Security headers on every API response: nothing may be framed, sniffed or loaded from an API
// answer (CSP default-src 'none'), no referrer leaks, nothing cached unless a route says so, and
// HSTS wherever the app is served over HTTPS. The web app's pages get theirs from web/dist/_headers
// (static assets never reach this code).
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

import type { AppEnv } from "../env.ts";

const common: SecureHeadersOptions = {
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  // same-site, not same-origin: the Pages option calls the API from a sibling subdomain.
  crossOriginResourcePolicy: "same-site",
  referrerPolicy: "strict-origin-when-cross-origin",
  xFrameOptions: "DENY",
  // A handler that answers HTML (the API reference) sets its own policy.
  overwrite: false,
};

const overHttps = secureHeaders({ ...common, strictTransportSecurity: "max-age=31536000; includeSubDomains" });
// Browsers ignore HSTS over plain HTTP anyway; on http://localhost it would only confuse.
const overHttp = secureHeaders({ ...common, strictTransportSecurity: false });

export const apiSecurityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await (c.var.config.publicBaseUrl.startsWith("https://") ? overHttps : overHttp)(c, next);
  // A user's todos, sessions and tokens stay out of every cache, the browser's own included, unless
  // the route says otherwise (the public key set).
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
});
