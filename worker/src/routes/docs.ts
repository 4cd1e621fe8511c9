// GET /api/openapi.json and GET /api/docs: the OpenAPI 3.1 document of the whole API, and its
// interactive reference (Swagger UI). Public: reading the documentation needs no account. Both come
// from this origin's static assets, where `npm run build:web` puts them (web/build/api-docs.ts): the
// document is generated from the app's routes at build time (openapi/document.ts), so neither its
// generator nor Better Auth's openAPI plugin weighs on the Worker's bundle or startup.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { describeRoute } from "../openapi/describe.ts";

/**
 * The reference page's policy, as tight as Swagger UI allows: its script, stylesheet and start
 * script are files from this origin and it injects no inline code or <style>, so scripts and
 * styles are 'self' only (no 'unsafe-inline', no 'unsafe-eval'). Images add data: for the icons
 * swagger-ui.css inlines; connect-src 'self' loads the document and runs "Try it out" against this
 * API. No frames, no plugins, no form submissions, no <base>, and the page cannot be framed.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const DOCUMENT_PATH = "/api/openapi.json";

/** Where the build puts the document and Swagger UI (web/build/api-docs.ts). */
const ASSETS_DIR = "/api-docs";

interface OpenApiDocument {
  components: { securitySchemes: { sessionCookie: { name: string } } };
}

// No inline script: start.js reads the document's URL from data-url.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>edge-todo API reference</title>
    <link rel="icon" href="/favicon.svg">
    <link rel="stylesheet" href="${ASSETS_DIR}/swagger-ui.css">
  </head>
  <body>
    <noscript>The API reference needs JavaScript. The OpenAPI document is at <a href="${DOCUMENT_PATH}">${DOCUMENT_PATH}</a>.</noscript>
    <div id="swagger-ui" data-url="${DOCUMENT_PATH}"></div>
    <script src="${ASSETS_DIR}/swagger-ui-bundle.js"></script>
    <script src="${ASSETS_DIR}/start.js"></script>
  </body>
</html>
`;

export const docsRoutes = new Hono<AppEnv>()
  .get(
    "/openapi.json",
    describeRoute({
      tags: ["docs"],
      operationId: "getOpenApiDocument",
      summary: "This OpenAPI 3.1 document",
      responses: { 200: { description: "The document", content: { "application/json": {} } } },
    }),
    async (c) => {
      const asset = await c.env.ASSETS.fetch(new URL(`${ASSETS_DIR}/openapi.json`, c.req.url));
      // A build without the file gets the assets' single-page fallback (index.html) instead.
      if (!asset.ok || !asset.headers.get("Content-Type")?.startsWith("application/json")) {
        throw new AppError("internal_error", "The API document is missing from this build");
      }
      const document = await asset.json<OpenApiDocument>();
      // Better Auth names its cookie __Secure-… when cookies are secure: on https (auth/better-auth.ts).
      if (c.var.config.publicBaseUrl.startsWith("https://")) {
        const cookie = document.components.securitySchemes.sessionCookie;
        cookie.name = `__Secure-${cookie.name}`;
      }
      return c.json(document);
    },
  )
  .get(
    "/docs",
    describeRoute({
      tags: ["docs"],
      operationId: "getApiReference",
      summary: "The interactive API reference (Swagger UI)",
      responses: { 200: { description: "An HTML page", content: { "text/html": {} } } },
    }),
    (c) => c.html(PAGE, 200, { "Content-Security-Policy": DOCS_CSP }),
  );
