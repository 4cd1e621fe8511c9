// Two users share one database and never see or touch each other's todos.
import { beforeAll, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, errorBody, signedInUser, type TestUser } from "../../test/client.ts";

type User = TestUser & { token: string };
let alice: User;
let bob: User;
let alicesTodo: Todo;

beforeAll(async () => {
  alice = await signedInUser();
  bob = await signedInUser();
  alicesTodo = (await (await apiCall(alice.token, "POST", "/api/todos", { title: "Alice's secret" })).json()) as Todo;
  await apiCall(alice.token, "POST", "/api/todos", { title: "Alice's done" }).then(async (res) => {
    const todo = (await res.json()) as Todo;
    await apiCall(alice.token, "PATCH", `/api/todos/${todo.id}`, { completed: true });
  });
});

async function alicesItems(): Promise<Todo[]> {
  return ((await (await apiCall(alice.token, "GET", "/api/todos")).json()) as { items: Todo[] }).items;
}

test("another user's todo is 404 to read, change or delete, and stays as it was", async () => {
  for (const [method, body] of [
    ["GET", undefined],
    ["PATCH", { title: "pwned" }],
    ["DELETE", undefined],
  ] as const) {
    const res = await apiCall(bob.token, method, `/api/todos/${alicesTodo.id}`, body);
    expect(res.status).toBe(404);
    expect(await errorBody(res)).toEqual({ detail: "Todo not found", status_code: 404, error_type: "not_found" });
  }
  expect((await alicesItems()).find((t) => t.id === alicesTodo.id)).toEqual(alicesTodo);
});

test("lists and bulk operations only ever cover the caller's own todos", async () => {
  await apiCall(bob.token, "POST", "/api/todos", { title: "Bob's" });
  const bobs = ((await (await apiCall(bob.token, "GET", "/api/todos")).json()) as { items: Todo[] }).items;
  expect(bobs.map((t) => t.title)).toEqual(["Bob's"]);

  expect(await (await apiCall(bob.token, "POST", "/api/todos/complete-all", {})).json()).toEqual({ updated: 1 });
  expect(await (await apiCall(bob.token, "DELETE", "/api/todos?status=completed")).json()).toEqual({ deleted: 1 });
  const items = await alicesItems();
  expect(items.map((t) => [t.title, t.completed])).toEqual([
    ["Alice's secret", false],
    ["Alice's done", true],
  ]);
});

test("another user's id in the path is 403 on every route", async () => {
  const base = `/api/users/${alice.id}/todos`;
  for (const [method, path, body] of [
    ["GET", base, undefined],
    ["POST", base, { title: "x" }],
    ["GET", `${base}/${alicesTodo.id}`, undefined],
    ["PATCH", `${base}/${alicesTodo.id}`, { title: "x" }],
    ["DELETE", `${base}/${alicesTodo.id}`, undefined],
    ["POST", `${base}/complete-all`, {}],
    ["DELETE", `${base}?status=completed`, undefined],
  ] as const) {
    const res = await apiCall(bob.token, method, path, body);
    expect(res.status, `${method} ${path}`).toBe(403);
    expect(await errorBody(res)).toMatchObject({ status_code: 403, error_type: "authorization_error" });
  }
  expect(await alicesItems()).toHaveLength(2);
});
