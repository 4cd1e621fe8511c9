// Hyperdrive mode when the database is down or hangs: health, the todo API and Better Auth answer
// 503 JSON with Retry-After, within DB_TIMEOUT_MS, never a hung request or a 500. Each test calls the
// Worker's fetch with a HYPERDRIVE binding of its own, pointed at a closed port or at a server that
// accepts and never answers, so nothing global is stopped and the other tests carry on.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { BASE, bearer, callWith, errorBody, freshIp, signedInUser, type TestUser } from "../../test/client.ts";

/** Nothing listens on port 1: the connection is refused at once. */
const REFUSED = "postgres://postgres:unused@127.0.0.1:1/edge_todo";
const TIMEOUT_MS = 1000;
/** What "promptly" allows on a loaded machine: well under the 10 s the other tests' timeout gives. */
const BOUND_MS = TIMEOUT_MS + 2500;

let user: TestUser & { token: string };

beforeAll(async () => {
  user = await signedInUser();
  // Warm this isolate's key cache, as any isolate that has served a request would have: the todo
  // API then needs the database for the todos only.
  const warm = await callWith(env, new Request(`${BASE}/api/todos`, { headers: bearer(user.token) }));
  expect(warm.status).toBe(200);
});

/** Calls the Worker with HYPERDRIVE bound to `connectionString` and a short DB_TIMEOUT_MS. */
async function callWithDatabase(connectionString: string, path: string, init: RequestInit = {}) {
  // The database layer reads nothing of the binding but its connectionString (db/client.ts).
  const hyperdrive = { connectionString } as Hyperdrive;
  const bindings: Env = { ...env, DB_TIMEOUT_MS: String(TIMEOUT_MS), HYPERDRIVE: hyperdrive };
  const ctx = createExecutionContext();
  const started = Date.now();
  const res = await callWith(bindings, new Request(new URL(path, BASE), init), ctx);
  const ms = Date.now() - started;
  // The request's connection is closed in waitUntil; that must settle too.
  await waitOnExecutionContext(ctx);
  return { res, ms };
}

async function expect503({ res, ms }: { res: Response; ms: number }) {
  expect(res.status).toBe(503);
  expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  const body = await errorBody(res);
  expect(body).toMatchObject({ status_code: 503, error_type: "service_unavailable" });
  expect(JSON.stringify(body)).not.toMatch(/select|insert|postgres|127\.0\.0\.1|stack/i);
  expect(ms).toBeLessThan(BOUND_MS);
}

function signIn(connectionString: string) {
  return callWithDatabase(connectionString, "/api/auth/sign-in/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
}

describe("connection refused", () => {
  test("health, the todo API and sign-in answer 503 at once", async () => {
    await expect503(await callWithDatabase(REFUSED, "/api/health"));
    await expect503(await callWithDatabase(REFUSED, "/api/todos", { headers: bearer(user.token) }));
    await expect503(await signIn(REFUSED));
  });

  test("a request that needs no database still gets its answer: no token is 401, not 503", async () => {
    const { res } = await callWithDatabase(REFUSED, "/api/todos");
    expect(res.status).toBe(401);
  });
});

const hyperdrive = inject("hyperdrive");

// The server that accepts and never answers is started by the worker-hyperdrive project's global
// setup (Node); the worker project's setup has none.
describe.skipIf(!hyperdrive)("a database that accepts connections and never answers", () => {
  const hung = () => `postgres://postgres:unused@127.0.0.1:${hyperdrive?.silentPort}/edge_todo`;

  test("health, the todo API and sign-in answer 503 once DB_TIMEOUT_MS has passed", async () => {
    for (const call of [
      () => callWithDatabase(hung(), "/api/health"),
      () => callWithDatabase(hung(), "/api/todos", { headers: bearer(user.token) }),
      () => signIn(hung()),
    ]) {
      const result = await call();
      await expect503(result);
      expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    }
  });
});
