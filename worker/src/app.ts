// The app: middleware and routes. Better Auth at /api/auth/*, the JWT-protected API at /api/*.
// buildApp takes how to mount the API's route groups: the Worker (index.ts) mounts them so that each
// loads on its first request (routes/lazy.ts); buildEagerApp loads them all up front, for tooling
// that reads the route table. Better Auth loads on the first /api/auth request (routes/auth.ts).
import { type Env, Hono } from "hono";
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
import type { RouteGroupLoader } from "./routes/lazy.ts";

const MAX_BODY_BYTES = 64 * 1024;

/** The API's route groups, each imported by its loader; buildApp says where each is mounted. */
const ROUTE_GROUPS: {
  health: RouteGroupLoader<AppEnv>;
  me: RouteGroupLoader<AuthedEnv>;
  sessions: RouteGroupLoader<AuthedEnv>;
  todos: RouteGroupLoader<AuthedEnv>;
  users: RouteGroupLoader<AuthedEnv>;
} = {
  health: () => import("./routes/health.ts").then((m) => m.healthRoutes),
  me: () => import("./routes/me.ts").then((m) => m.meRoutes),
  sessions: () => import("./routes/sessions.ts").then((m) => m.sessionRoutes),
  todos: () => import("./routes/todos.ts").then((m) => m.todoRoutes),
  users: () => import("./routes/users.ts").then((m) => m.userRoutes),
};

/** How a route group is mounted: lazily in the Worker, already loaded in tooling. */
export type Mount = <E extends Env>(load: RouteGroupLoader<E>) => Hono<E>;

export function buildApp(mount: Mount): Hono<AppEnv> {
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
  app.route("/api/health", mount(ROUTE_GROUPS.health));
  app.route("/api", docsRoutes);

  // Everything else under /api needs an access token; the guard runs before a group loads.
  const api = new Hono<AuthedEnv>();
  api.use(requireJwt);
  api.route("/me", mount(ROUTE_GROUPS.me));
  api.route("/sessions", mount(ROUTE_GROUPS.sessions));
  api.route("/todos", mount(ROUTE_GROUPS.todos));
  api.route("/users", mount(ROUTE_GROUPS.users));
  app.route("/api", api as unknown as Hono<AppEnv>);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

/**
 * The same app with every route group loaded and mounted up front, so that its route table
 * (`app.routes`) lists every route: for the OpenAPI build and the route-inventory tests.
 */
export async function buildEagerApp(): Promise<Hono<AppEnv>> {
  const loaded = new Map<unknown, unknown>();
  await Promise.all(Object.values(ROUTE_GROUPS).map(async (load) => loaded.set(load, await load())));
  return buildApp(<E extends Env>(load: RouteGroupLoader<E>) => loaded.get(load) as Hono<E>);
}
