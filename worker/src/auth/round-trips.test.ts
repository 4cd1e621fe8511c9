// Database round trips per operation, the figure that dominates latency at the edge. Budgets:
// every todo request 1 (the JWT check adds none), token refresh ≤ 2, sign-in ≤ 3, sign-up ≤ 4.
// (Exclusive project: it counts every round trip the SQL endpoint serves.)
import { beforeAll, expect, test } from "vitest";
import type { Todo } from "#contract";
import {
  apiCall,
  BASE,
  call,
  freshIp,
  STRONG_PASSWORD,
  sessionCookie,
  signedInUser,
  sqlEndpoint,
  type TestUser,
  uniqueEmail,
} from "../../test/client.ts";

let user: TestUser & { token: string };

beforeAll(async () => {
  user = await signedInUser();
  // Warm the isolate (key caches), as any isolate serving traffic is.
  await apiCall(user.token, "GET", "/api/todos");
  await call("/api/auth/token", { headers: { Cookie: user.cookie } });
});

async function roundTrips(work: () => Promise<Response>): Promise<number> {
  const before = (await sqlEndpoint.stats()).roundTrips;
  const res = await work();
  expect(res.status).toBeLessThan(300);
  return (await sqlEndpoint.stats()).roundTrips - before;
}

const post = (path: string, body: unknown) =>
  call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify(body),
  });

test("auth operations", async () => {
  const email = uniqueEmail("trips");
  expect(
    await roundTrips(() => post("/api/auth/sign-up/email", { name: "Trips", email, password: STRONG_PASSWORD })),
  ).toBeLessThanOrEqual(3);
  let cookie = "";
  expect(
    await roundTrips(async () => {
      const res = await post("/api/auth/sign-in/email", { email, password: STRONG_PASSWORD });
      cookie = sessionCookie(res);
      return res;
    }),
  ).toBeLessThanOrEqual(2);
  expect(await roundTrips(() => call("/api/auth/token", { headers: { Cookie: cookie } }))).toBeLessThanOrEqual(1);
});

test("every todo request is one round trip", async () => {
  const { token } = user;
  let todo: Todo | undefined;
  expect(
    await roundTrips(async () => {
      const res = await apiCall(token, "POST", "/api/todos", { title: "counted" });
      todo = (await res.clone().json()) as Todo;
      return res;
    }),
  ).toBe(1);
  const id = todo!.id;
  expect(await roundTrips(() => apiCall(token, "GET", "/api/todos"))).toBe(1);
  expect(await roundTrips(() => apiCall(token, "GET", `/api/todos/${id}`))).toBe(1);
  expect(await roundTrips(() => apiCall(token, "PATCH", `/api/todos/${id}`, { completed: true }))).toBe(1);
  expect(await roundTrips(() => apiCall(token, "POST", "/api/todos/complete-all", {}))).toBe(1);
  expect(await roundTrips(() => apiCall(token, "DELETE", "/api/todos?status=completed"))).toBe(1);
  const other = (await (await apiCall(token, "POST", "/api/todos", { title: "to delete" })).json()) as Todo;
  expect(await roundTrips(() => apiCall(token, "DELETE", `/api/todos/${other.id}`))).toBe(1);
  expect(await roundTrips(() => apiCall(token, "GET", "/api/me"))).toBe(0);
});
