// Route groups that load on their first request. workerd evaluates everything a Worker imports when
// it starts, so a route group imported up front costs every start its handlers, request schemas and
// queries, even in an isolate that only ever serves sign-ins. Mounted with lazyRoutes(), a group is
// imported by the first request to its path and stays loaded for the isolate's life; the Worker's
// startup evaluates only the router, the middleware every request runs and the JWT check. (Cloudflare's
// vinext loads route modules the same way, for the same reason.)
//
// A loaded group is the same Hono app that tooling mounts directly (app.ts, buildEagerApp): it runs
// as its own app under the mount's path, on a context that starts with the mounting context's
// variables (request id, config, database, the token's user). What it throws goes back to the
// mounting app, whose onError answers it as for any route. The mount answers every path under it: a
// path the group does not serve gets the app's usual 404 (for the protected groups, after the JWT
// guard, as before).
import { type Context, type Env, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { baseRoutePath } from "hono/route";
import { notFound } from "../errors.ts";

export type RouteGroupLoader<E extends Env> = () => Promise<Hono<E>>;

/** The context each request was dispatched from, while its group handles it. */
const mountingContexts = new WeakMap<Request, Context>();

const inheritVariables = createMiddleware(async (c, next) => {
  const mounting = mountingContexts.get(c.req.raw);
  if (mounting) for (const [key, value] of Object.entries(mounting.var)) c.set(key as never, value as never);
  await next();
});

/**
 * A Hono app to mount with `app.route(path, lazyRoutes(load))`, at one path: the first request under
 * `path` imports the group `load` resolves to; a failed import is retried by the next request.
 */
export function lazyRoutes<E extends Env>(load: RouteGroupLoader<E>): Hono<E> {
  // The app the group runs in: it only forwards to the group's routes (and its 404 needs a request id).
  let group: Promise<Hono<{ Variables: { requestId: string } }>> | undefined;
  let mountPath: string | undefined;
  const dispatch = async (c: Context<E>) => {
    const path = baseRoutePath(c);
    mountPath ??= path;
    if (path !== mountPath) throw new Error(`lazyRoutes: one group mounted at ${mountPath} and ${path}`);
    group ??= load()
      .then((routes) => {
        const app = new Hono<{ Variables: { requestId: string } }>();
        app.use(inheritVariables);
        app.route(path, routes as unknown as Hono);
        app.notFound(notFound);
        app.onError((err) => {
          throw err;
        });
        return app;
      })
      .catch((err: unknown) => {
        group = undefined;
        throw err;
      });
    const app = await group;
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
  const mount = new Hono<E>();
  mount.all("/", dispatch);
  mount.all("/*", dispatch);
  return mount;
}

function executionContext(c: Context): Context["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    // No ExecutionContext: the app was called directly (tools and some tests do).
    return undefined;
  }
}
