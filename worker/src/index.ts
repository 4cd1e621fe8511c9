// The Worker: composes middleware and routes. Better Auth at /api/auth/*, the JWT-protected API at
// /api/*, and the web app's static assets (served by Cloudflare before this code for other paths).
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env.ts";
import { AppError, notFound, onError } from "./errors.ts";
import { appContext } from "./middleware/context.ts";
import { apiCors } from "./middleware/cors.ts";
import { requestLog } from "./middleware/request-log.ts";
import { type AuthedEnv, requireJwt } from "./middleware/require-jwt.ts";
import { apiSecurityHeaders } from "./middleware/security-headers.ts";
import { authRoutes } from "./routes/auth.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { meRoutes } from "./routes/me.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { todoRoutes } from "./routes/todos.ts";
import { userRoutes } from "./routes/users.ts";

export { RateLimiter } from "./durable-objects/rate-limiter.ts";

const MAX_BODY_BYTES = 64 * 1024;

const app = new Hono<AppEnv>();

app.use(requestId());
app.use("/api/*", requestLog);
app.use("/api/*", appContext);
app.use("/api/*", apiSecurityHeaders);
app.use("/api/*", apiCors);
app.use(
  "/api/*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", `Request body exceeds ${MAX_BODY_BYTES / 1024} KiB`);
    },
  }),
);

// Public: Better Auth's endpoints, the health check, and the API's documentation
// (/api/openapi.json, /api/docs).
app.route("/api/auth", authRoutes);
app.route("/api/health", healthRoutes);
app.route("/api", docsRoutes);

// Everything else under /api needs an access token.
const api = new Hono<AuthedEnv>();
api.use(requireJwt);
api.route("/me", meRoutes);
api.route("/sessions", sessionRoutes);
api.route("/todos", todoRoutes);
api.route("/users", userRoutes);
app.route("/api", api as unknown as Hono<AppEnv>);

app.notFound(notFound);
app.onError(onError);

export default app;
