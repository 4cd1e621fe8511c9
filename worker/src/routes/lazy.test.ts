// Route groups mounted with lazyRoutes(): loaded by their first request and only then, run with the
// mounting app's variables, and answered by the mounting app's error handling and 404.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { describe, expect, test } from "vitest";
import { AppError, notFound, onError } from "../errors.ts";
import { lazyRoutes } from "./lazy.ts";

interface TestEnv {
  Variables: { requestId: string; user: string };
}

/** A mounting app like the Worker's: middleware that sets variables and headers, then the group. */
function mountingApp(load: () => Promise<Hono<TestEnv>>) {
  const app = new Hono<TestEnv>();
  app.use(
    createMiddleware<TestEnv>(async (c, next) => {
      c.set("requestId", "req-1");
      c.set("user", "ada");
      c.header("X-Before", "set before the group");
      await next();
      c.header("X-Outer", "ran after the group");
    }),
  );
  app.route("/api/things", lazyRoutes(load));
  app.notFound(notFound);
  app.onError(onError);
  return app;
}

function things() {
  return new Hono<TestEnv>()
    .get("/", (c) => c.json({ user: c.var.user, requestId: c.var.requestId }))
    .get("/:id", (c) => c.json({ id: c.req.param("id") }))
    .post("/", async (c) => c.json(await c.req.json(), 201))
    .get("/:id/fail", () => {
      throw new AppError("conflict", "the group's own error");
    })
    .get("/:id/crash", () => {
      throw new Error("a bug with a secret in it");
    });
}

describe("lazyRoutes", () => {
  test("loads the group on its first request, once, and not before", async () => {
    let loads = 0;
    const app = mountingApp(async () => {
      loads++;
      return things();
    });
    expect(loads).toBe(0);
    expect((await app.request("/other")).status).toBe(404);
    expect(loads).toBe(0);
    await Promise.all([app.request("/api/things"), app.request("/api/things/1")]);
    await app.request("/api/things/2");
    expect(loads).toBe(1);
  });

  test("serves the group's routes with their params and bodies, with the mounting app's variables", async () => {
    const app = mountingApp(async () => things());
    const list = await app.request("/api/things");
    expect(await list.json()).toEqual({ user: "ada", requestId: "req-1" });
    expect(list.headers.get("X-Outer")).toBe("ran after the group");
    expect(list.headers.get("X-Before")).toBe("set before the group");
    expect(list.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await (await app.request("/api/things/42")).json()).toEqual({ id: "42" });
    const created = await app.request("/api/things", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title: "milk" }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ title: "milk" });
  });

  test("errors are the mounting app's: its onError answers them, in the one error shape", async () => {
    const app = mountingApp(async () => things());
    const conflict = await app.request("/api/things/1/fail");
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      detail: "the group's own error",
      status_code: 409,
      error_type: "conflict",
    });
    const crash = await app.request("/api/things/1/crash");
    expect(crash.status).toBe(500);
    expect(JSON.stringify(await crash.json())).not.toContain("secret");
    expect(crash.headers.get("X-Outer")).toBe("ran after the group");
    expect(crash.headers.get("X-Before")).toBe("set before the group");
  });

  test("a path the group does not serve is the usual 404", async () => {
    const res = await mountingApp(async () => things()).request("/api/things/1/2/3");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status_code: 404, error_type: "not_found" });
  });

  test("a load that resolves to no group answers 500 and is retried too", async () => {
    let attempts = 0;
    const app = mountingApp(async () => {
      attempts++;
      return (attempts === 1 ? undefined : things()) as Hono<TestEnv>;
    });
    expect((await app.request("/api/things")).status).toBe(500);
    expect((await app.request("/api/things")).status).toBe(200);
  });

  test("one group mounted at two paths serves each at its own path", async () => {
    const group = lazyRoutes(async () => things());
    const app = new Hono<TestEnv>();
    app.use(async (c, next) => {
      c.set("requestId", "req-2");
      await next();
    });
    app.route("/a", group);
    app.route("/b", group);
    app.onError(onError);
    expect(await (await app.request("/a/7")).json()).toEqual({ id: "7" });
    expect(await (await app.request("/b/8")).json()).toEqual({ id: "8" });
  });

  test("a failed load answers 500 and is retried by the next request", async () => {
    let attempts = 0;
    const app = mountingApp(async () => {
      attempts++;
      if (attempts === 1) throw new Error("module failed to load");
      return things();
    });
    expect((await app.request("/api/things")).status).toBe(500);
    expect((await app.request("/api/things")).status).toBe(200);
    expect(attempts).toBe(2);
  });
});
