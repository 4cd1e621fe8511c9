// Access control across the API: every non-auth route needs a token (a route inventory, so a new
// route cannot slip out unguarded), fields a client must not set are refused, and one user's
// todos and page sizes are capped.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { MAX_TODOS_PER_USER } from "#contract";
import { apiCall, BASE, call, freshIp, STRONG_PASSWORD, signedInUser, uniqueEmail } from "../../test/client.ts";
import { buildEagerApp } from "../app.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { todos, user as userTable } from "../db/schema/index.ts";

/** Routes that answer without an access token, on purpose. */
const PUBLIC_PREFIXES = ["/api/auth/", "/api/health", "/api/openapi.json", "/api/docs"];

// The Worker loads its route groups on demand; the eager build mounts the same groups up front, so its
// route table lists every route the Worker serves.
const app = await buildEagerApp();

describe("route inventory", () => {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
    .filter((r) => !PUBLIC_PREFIXES.some((prefix) => r.path.startsWith(prefix)));

  test("finds the API's routes", () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(["GET /api/todos", "POST /api/todos", "PATCH /api/todos/:id", "GET /api/me"]),
    );
    expect(paths.filter((p) => p.includes("/api/users/:userId/todos")).length).toBeGreaterThanOrEqual(7);
  });

  test("every non-auth route answers 401 without a token", async () => {
    for (const route of routes) {
      const path = route.path
        .replace(":userId", "someone")
        .replace(":id", "00000000-0000-4000-8000-000000000000")
        .replace(/\/\*$/, "/x");
      const res = await call(path, {
        method: route.method,
        headers: { "Content-Type": "application/json" },
        body: ["POST", "PATCH"].includes(route.method) ? "{}" : undefined,
      });
      expect(res.status, `${route.method} ${path}`).toBe(401);
    }
  });
});

describe("the todo API ignores cookies", () => {
  test("a valid session cookie without a bearer token is 401", async () => {
    const user = await signedInUser();
    for (const path of ["/api/todos", "/api/me", "/api/sessions"]) {
      const res = await call(path, { headers: { Cookie: user.cookie } });
      expect(res.status, path).toBe(401);
    }
    // The same user with the token is let in: the cookie was valid, just not accepted here.
    expect((await call("/api/todos", { headers: { Authorization: `Bearer ${user.token}` } })).status).toBe(200);
  });
});

describe("mass assignment", () => {
  test("sign-up ignores emailVerified, id and createdAt from the client", async () => {
    const email = uniqueEmail("mass");
    const res = await call("/api/auth/sign-up/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({
        name: "Mallory",
        email,
        password: STRONG_PASSWORD,
        emailVerified: true,
        id: "chosen-by-attacker",
        createdAt: "2000-01-01T00:00:00Z",
      }),
    });
    // Better Auth takes only the fields it knows the client may set; the rest are its own.
    expect(res.status).toBe(200);
    const [row] = await (await createDb(getConfig(env))).select().from(userTable).where(eq(userTable.email, email));
    expect(row).toMatchObject({ emailVerified: false });
    expect(row?.id).not.toBe("chosen-by-attacker");
    expect(row?.createdAt.getFullYear()).toBeGreaterThan(2000);
  });

  test.each([["userId"], ["id"], ["createdAt"], ["updatedAt"], ["version"]])("todo bodies refuse %s", async (field) => {
    const { token } = await signedInUser();
    const created = await apiCall(token, "POST", "/api/todos", { title: "mine", [field]: "x" });
    expect(created.status).toBe(422);
    const ok = await apiCall(token, "POST", "/api/todos", { title: "mine" });
    const todo = (await ok.json()) as { id: string };
    const patched = await apiCall(token, "PATCH", `/api/todos/${todo.id}`, { [field]: "x" });
    expect(patched.status).toBe(422);
  });
});

describe("caps", () => {
  test(`a user can have at most ${MAX_TODOS_PER_USER} todos`, async () => {
    const { token, id } = await signedInUser();
    const db = await createDb(getConfig(env));
    // Fill up to one below the cap directly, in one statement.
    await db.insert(todos).select(
      sql`select gen_random_uuid(), ${id}, 'filler ' || n, false, n, null::timestamptz, now(), now(), 1, null::text
          from generate_series(1, ${MAX_TODOS_PER_USER - 1}) as n`,
    );
    expect((await apiCall(token, "POST", "/api/todos", { title: "the last one" })).status).toBe(201);
    const refused = await apiCall(token, "POST", "/api/todos", { title: "one too many" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error_type: "conflict",
      detail: expect.stringContaining(String(MAX_TODOS_PER_USER)),
    });
  });

  test("a page holds at most 100 items", async () => {
    const { token } = await signedInUser();
    expect((await apiCall(token, "GET", "/api/todos?limit=100")).status).toBe(200);
    expect((await apiCall(token, "GET", "/api/todos?limit=101")).status).toBe(422);
  });
});
