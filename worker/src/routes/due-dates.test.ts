// Due dates: every instant the API accepts reads back exactly as sent (years 0001 to 9999 in UTC, to
// the millisecond), on this project's driver; one it cannot keep is a 422 naming the field, and so
// is a cursor carrying a date Postgres cannot hold.
import { beforeAll, describe, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, errorBody, signedInUser } from "../../test/client.ts";

let token: string;

beforeAll(async () => {
  ({ token } = await signedInUser());
});

async function createWithDue(dueAt: unknown): Promise<Response> {
  return apiCall(token, "POST", "/api/todos", { title: "due", dueAt });
}

describe("years 0001 to 9999 read back as sent", () => {
  test.each([
    ["0001-01-01T00:00:00.000Z"],
    ["0049-01-01T00:00:00.000Z"],
    ["0050-01-01T00:00:00.000Z"],
    ["0099-12-31T23:59:59.999Z"],
    ["1969-12-31T23:59:59.999Z"],
    ["9999-12-31T23:59:59.999Z"],
  ])("%s", async (dueAt) => {
    const created = await createWithDue(dueAt);
    expect(created.status).toBe(201);
    const todo = (await created.json()) as Todo;
    expect(todo.dueAt).toBe(dueAt);
    const read = (await (await apiCall(token, "GET", `/api/todos/${todo.id}`)).json()) as Todo;
    expect(read.dueAt).toBe(dueAt);
    const patched = await apiCall(token, "PATCH", `/api/todos/${todo.id}`, { dueAt });
    expect(((await patched.json()) as Todo).dueAt).toBe(dueAt);
  });

  test("an offset is applied: the instant is what is kept", async () => {
    const created = await createWithDue("0000-12-31T23:00:00-01:00");
    expect(created.status).toBe(201);
    expect(((await created.json()) as Todo).dueAt).toBe("0001-01-01T00:00:00.000Z");
  });
});

describe("instants outside them are a 422, on create and on update", () => {
  test.each([
    ["0000-01-01T00:00:00Z"],
    ["0001-01-01T00:59:59+01:00"],
    ["9999-12-31T23:59:59-14:00"],
    ["9999-12-31T23:59:59.9995Z"],
    ["2026-01-01T00:00:00.0001Z"],
  ])("%s", async (dueAt) => {
    const created = await createWithDue(dueAt);
    expect(created.status).toBe(422);
    expect(await errorBody(created)).toMatchObject({ status_code: 422, error_type: "validation_error" });
    const todo = (await (await createWithDue(null)).json()) as Todo;
    const patched = await apiCall(token, "PATCH", `/api/todos/${todo.id}`, { dueAt });
    expect(patched.status).toBe(422);
    expect((await errorBody(patched)).detail).toContain('"dueAt"');
  });

  test("further digits that are zeros lose nothing and are accepted", async () => {
    const created = await createWithDue("2026-01-01T00:00:00.120000+00:00");
    expect(((await created.json()) as Todo).dueAt).toBe("2026-01-01T00:00:00.120Z");
  });
});

describe("cursors", () => {
  const encode = (tuple: unknown) =>
    btoa(JSON.stringify(tuple)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const id = "00000000-0000-4000-8000-000000000000";

  test.each([
    ["year 0", encode([1, "0000-01-01T00:00:00.000Z", id])],
    ["past 9999", encode([1, "9999-12-31T23:59:59.9999Z", id])],
    ["another spelling of the date", encode([1, "2026-01-01T00:00:00Z", id])],
    ["padding", `${encode([1, "2026-01-01T00:00:00.000Z", id])}==`],
  ])("a forged one (%s) is a 422", async (_, cursor) => {
    const res = await apiCall(token, "GET", `/api/todos?cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(422);
    expect((await errorBody(res)).detail).toContain("is not a cursor this API returned");
  });

  test("one as the API writes it is followed", async () => {
    const res = await apiCall(token, "GET", `/api/todos?cursor=${encode([1e9, "0001-01-01T00:00:00.000Z", id])}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });
});
