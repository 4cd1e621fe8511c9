// Route groups that load on their first request. workerd evaluates everything a Worker imports when
// it starts, and the route groups' zod schemas, queries and drizzle tables cost about 30 ms of startup
// CPU against a 50 ms budget (`wrangler check startup`, median of 7: 66 ms with the groups imported
// up front, 36 ms with them lazy; bench/REPORT.md has the current figure). Mounted with lazyRoutes(),
// a group is imported by the first request to its path and stays loaded for the isolate's life.
//
// The loaded group runs as its own Hono app under the mount's path, on a context that starts with
// the mounting context's variables (request id, config, database, the token's user). What it throws
// goes back to the mounting app's onError; a path the group does not serve gets the usual 404.
import { type Context, type Env, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { baseRoutePath } from "hono/route";
import { notFound } from "../errors.ts";

/** The context each request was dispatched from, while its group handles it. */
const mountingContexts = new WeakMap<Request, Context>();

const inheritVariables = createMiddleware(async (c, next) => {
  const mounting = mountingContexts.get(c.req.raw);
  if (mounting) for (const [key, value] of Object.entries(mounting.var)) c.set(key as never, value as never);
  await next();
});

const rethrow = (err: Error): never => {
  throw err;
};

/** A Hono app to mount with `app.route(path, lazyRoutes(load))`; a failed import is retried. */
export function lazyRoutes<E extends Env>(load: () => Promise<Hono<E>>): Hono<E> {
  // The group as an app of its own, one per path the mount is at.
  const apps = new Map<string, Promise<Hono<{ Variables: { requestId: string } }>>>();
  const appAt = (path: string) => {
    let app = apps.get(path);
    if (!app) {
      app = load().then((routes) =>
        new Hono<{ Variables: { requestId: string } }>()
          .use(inheritVariables)
          .route(path, routes)
          .notFound(notFound)
          .onError(rethrow),
      );
      app.catch(() => apps.delete(path));
      apps.set(path, app);
    }
    return app;
  };
  const dispatch = async (c: Context<E>) => {
    const app = await appAt(baseRoutePath(c));
    mountingContexts.set(c.req.raw, c);
    try {
      const res = await app.fetch(c.req.raw, c.env, executionContext(c));
      // Answered through the mounting context, so the headers its middleware set before calling
      // next() (X-Request-Id, Vary) are kept.
      return c.newResponse(res.body, res);
    } finally {
      mountingContexts.delete(c.req.raw);
    }
  };
  return new Hono<E>().all("/", dispatch).all("/*", dispatch);
}

function executionContext(c: Context): Context["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    // No ExecutionContext: the app was called directly (tools and some tests do).
    return undefined;
  }
}
