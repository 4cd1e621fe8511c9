// Writes web/dist/_headers: the security headers Cloudflare serves with every page and asset (on the
// Worker's static assets and on Pages alike; the Worker's own API answers set theirs in code). The
// CSP allows scripts, styles and connections to our own origin only, plus the Worker's origin when
// the site is built for Pages (VITE_API_BASE_URL).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

export function securityHeaders(options: {
  apiOrigin: string | undefined;
  /** Add HSTS: builds for deployment (https), not the local http://localhost ones. */
  hsts: boolean;
}): Plugin {
  let outDir = "dist";
  return {
    name: "edge-todo:security-headers",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir.startsWith("/") ? config.build.outDir : join(config.root, config.build.outDir);
    },
    writeBundle() {
      const connect = ["'self'", ...(options.apiOrigin ? [new URL(options.apiOrigin).origin] : [])].join(" ");
      const csp = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src ${connect}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; ");
      const headers = [
        "/*",
        `  Content-Security-Policy: ${csp}`,
        "  X-Content-Type-Options: nosniff",
        "  X-Frame-Options: DENY",
        "  Referrer-Policy: strict-origin-when-cross-origin",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()",
        ...(options.hsts ? ["  Strict-Transport-Security: max-age=31536000; includeSubDomains"] : []),
        // Hashed file names: cache for a year.
        "/assets/*",
        "  Cache-Control: public, max-age=31536000, immutable",
        "",
      ].join("\n");
      writeFileSync(join(outDir, "_headers"), headers);
    },
  };
}
