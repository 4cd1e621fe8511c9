// The app: middleware and routes. Better Auth at /api/auth/*, the JWT-protected API at /api/*.
// buildApp is the Worker's: its route groups load on their first request (routes/lazy.ts), and
// Better Auth on the first /api/auth request (routes/auth.ts). buildEagerApp loads every group up
// front, for tooling that reads the route table (the OpenAPI build, the route-inventory tests).
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
import { describeRoute, errorResponses } from "./openapi/describe.ts";
import { authRoutes } from "./routes/auth.ts";
import { docsRoutes } from "./routes/docs.ts";
import { lazyRoutes } from "./routes/lazy.ts";

const MAX_BODY_BYTES = 64 * 1024;

/** The API's route groups, each a Hono app in a module of its own. */
interface RouteGroups {
  health: Hono<AppEnv>;
  me: Hono<AuthedEnv>;
  sessions: Hono<AuthedEnv>;
  todos: Hono<AuthedEnv>;
  users: Hono<AuthedEnv>;
}

const loadHealth = () => import("./routes/health.ts").then((m) => m.healthRoutes);
const loadMe = () => import("./routes/me.ts").then((m) => m.meRoutes);
const loadSessions = () => import("./routes/sessions.ts").then((m) => m.sessionRoutes);
const loadTodos = () => import("./routes/todos.ts").then((m) => m.todoRoutes);
const loadUsers = () => import("./routes/users.ts").then((m) => m.userRoutes);

/** The Worker's app: each route group is imported by the first request to it. */
export function buildApp(): Hono<AppEnv> {
  return composeApp({
    health: lazyRoutes(loadHealth),
    me: lazyRoutes(loadMe),
    sessions: lazyRoutes(loadSessions),
    todos: lazyRoutes(loadTodos),
    users: lazyRoutes(loadUsers),
  });
}

/** The same app with every route group loaded, so that `app.routes` lists every route. */
export async function buildEagerApp(): Promise<Hono<AppEnv>> {
  const [health, me, sessions, todos, users] = await Promise.all([
    loadHealth(),
    loadMe(),
    loadSessions(),
    loadTodos(),
    loadUsers(),
  ]);
  return composeApp({ health, me, sessions, todos, users });
}

function composeApp(groups: RouteGroups): Hono<AppEnv> {
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
  // (/api/openapi.json, /api/docs). The health group answers everything under /api/health itself
  // (an unknown path there is a 404, token or not).
  app.route("/api/auth", authRoutes);
  app.route("/api/health", groups.health);
  app.route("/api", docsRoutes);

  // Everything else under /api needs an access token; the guard runs before a group loads.
  app.use(
    "/api/*",
    describeRoute({
      security: [{ bearerAuth: [] }],
      responses: errorResponses({
        401: "No access token, or a malformed, expired or forged one",
        503: "The database is unavailable (signing keys could not be loaded, or the query failed)",
      }),
    }),
    requireJwt,
  );
  app.route("/api/me", groups.me);
  app.route("/api/sessions", groups.sessions);
  app.route("/api/todos", groups.todos);
  app.route("/api/users", groups.users);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
