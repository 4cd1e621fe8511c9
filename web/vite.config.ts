// The web app's build: SolidJS compiled by vite-plugin-solid into web/dist, which the Worker serves
// as static assets. The dev server (`npm run dev`, dev/dev.ts) proxies /api to `wrangler dev`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { apiDocsAssets } from "./build/api-docs.ts";
import { securityHeaders } from "./build/security-headers.ts";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [
    solid(),
    // Swagger UI for the Worker's /api/docs, served from this origin.
    apiDocsAssets(),
    // npm run deploy builds with WEB_HSTS=1; local builds serve http://localhost, where HSTS has no place.
    securityHeaders({ apiOrigin: process.env.VITE_API_BASE_URL, hsts: process.env.WEB_HSTS === "1" }),
  ],
  build: {
    // A slow plugin on a busy machine is no warning that calls for action.
    rolldownOptions: { checks: { bundlerTimings: false } },
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Every browser that runs this app supports <link rel="modulepreload">; the polyfill is dead weight.
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    strictPort: true,
  },
});
