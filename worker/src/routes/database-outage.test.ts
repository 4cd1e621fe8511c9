// When the database is down, failing or too slow, every route answers 503 JSON with Retry-After,
// nothing gets through unauthenticated, and service resumes on the next request once it is back.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { BASE, bearer, call, errorBody, freshIp, signedInUser, sqlEndpoint, type TestUser } from "../../test/client.ts";

let user: TestUser & { token: string };

beforeAll(async () => {
  user = await signedInUser();
  // Warm this isolate's key cache, as any isolate that has served a request would have.
  expect((await call("/api/todos", { headers: bearer(user.token) })).status).toBe(200);
});

afterEach(async () => {
  await sqlEndpoint.control({ fault: null, delayMs: 0 });
});

async function expect503(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  const body = await errorBody(res);
  expect(body).toMatchObject({ status_code: 503, error_type: "service_unavailable" });
  expect(JSON.stringify(body)).not.toMatch(/select|insert|postgres|stack/i);
}

describe.each(["refuse", "fail", "garble", "hang"])("database fault %s", (fault) => {
  test("health, the todo API and sign-in answer 503, then recover", async () => {
    await sqlEndpoint.control({ fault });
    await expect503(await call("/api/health"));
    await expect503(await call("/api/todos", { headers: bearer(user.token) }));
    await expect503(
      await call("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
    );
    // Without a token it is still a 401, never a pass.
    expect((await call("/api/todos")).status).toBe(401);

    await sqlEndpoint.control({ fault: null });
    expect(await (await call("/api/health")).json()).toEqual({ status: "ok", db: "ok", signingKey: "ok" });
    expect((await call("/api/todos", { headers: bearer(user.token) })).status).toBe(200);
  });
});

test("slower than the timeout: 503 instead of a hang; a retried create with the same Idempotency-Key makes one todo", async () => {
  const key = crypto.randomUUID();
  const create = () =>
    call("/api/todos", {
      method: "POST",
      headers: bearer(user.token, { "Content-Type": "application/json", "Idempotency-Key": key }),
      body: JSON.stringify({ title: "written while slow" }),
    });
  // The endpoint delays each round trip past DB_TIMEOUT_MS (1.5 s) and then still runs it, as a slow
  // database would: the client gives up, the insert commits anyway.
  await sqlEndpoint.control({ delayMs: 2_500 });
  await expect503(await create());
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await sqlEndpoint.control({ delayMs: 0 });

  const retry = await create();
  expect(retry.status).toBe(201);
  const list = (await (await call("/api/todos", { headers: bearer(user.token) })).json()) as {
    items: { title: string }[];
  };
  expect(list.items.filter((t) => t.title === "written while slow")).toHaveLength(1);
});

test("the health check answers 200 when the database is fine", async () => {
  const res = await call("/api/health");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok", signingKey: "ok" });
});
