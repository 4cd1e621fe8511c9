// The whole API's OpenAPI 3.1 document: the Worker's own routes, generated from app.routes, and
// Better Auth's endpoints, from its openAPI plugin. Made at build time (dev/openapi.ts, run by
// `npm run build:web`) and served from the static assets by routes/docs.ts: none of this module's
// code, nor the plugin's, is in the Worker bundle. routes/openapi-document.test.ts checks that the served
// document is the one this code makes from the current routes.
import type { RouterRoute } from "hono/types";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { apiPaths, REQUEST_HEADERS, RESPONSE_HEADERS } from "./api-document.ts";
import { authPaths } from "./auth-document.ts";

const INTRO = `Todo lists behind Better Auth, on one Worker. Every error answer is JSON with \`detail\`, \`status_code\` and \`error_type\`.

**Trying it here:** sign up or sign in under *auth* (\`POST /api/auth/sign-up/email\`; the browser keeps the session cookie), then call \`GET /api/auth/token\` and paste its \`token\` into **Authorize → bearerAuth**. An access token lasts 15 minutes unless \`ACCESS_TOKEN_TTL_SECONDS\` says otherwise; get a new one the same way.`;

const TAGS = [
  { name: "todos", description: "The caller's todos. Needs `Authorization: Bearer <access JWT>`." },
  {
    name: "users",
    description:
      "The same todo routes addressed by owner, `/api/users/{userId}/todos…`: 403 unless `userId` is the token's `sub`.",
  },
  { name: "me", description: "The caller, from the access token." },
  {
    name: "auth",
    description:
      "Better Auth's endpoints: accounts, sessions (an httpOnly cookie) and access tokens (`GET /api/auth/token`). Sign-in, sign-up and password changes are rate-limited per client address.",
  },
  { name: "health", description: "For load balancers and uptime checks." },
  { name: "docs", description: "This document and its reference page." },
];

export async function openApiDocument(routes: readonly RouterRoute[], config: Config, db: Db) {
  const auth = await authPaths(config, db, routes);
  const api = apiPaths(routes, auth.basePath);
  for (const [id, schema] of Object.entries(auth.schemas)) api.schemas.add(id, schema);
  return {
    openapi: "3.1.1",
    info: { title: "edge-todo API", version: "1.0.0", description: INTRO },
    tags: TAGS,
    paths: { ...api.paths, ...auth.paths },
    components: {
      schemas: api.schemas.components,
      parameters: REQUEST_HEADERS,
      headers: RESPONSE_HEADERS,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "An access JWT (EdDSA) from `GET /api/auth/token`, sent as `Authorization: Bearer <token>`.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          // Over https Better Auth adds the __Secure- prefix; routes/docs.ts says so when serving.
          name: auth.sessionCookieName,
          description: "Better Auth's httpOnly session cookie, set by sign-up and sign-in; the browser sends it.",
        },
      },
    },
  };
}
