// The todo API end to end: create, list (filters, order, pages), read, update, delete, complete all
// and clear completed, with validation errors that name the field.
import { beforeEach, describe, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, errorBody, signedInUser } from "../../test/client.ts";

let token: string;
let userId: string;

beforeEach(async () => {
  const user = await signedInUser();
  token = user.token;
  userId = user.id;
});

async function create(title: string, extra: Record<string, unknown> = {}): Promise<Todo> {
  const res = await apiCall(token, "POST", "/api/todos", { title, ...extra });
  expect(res.status).toBe(201);
  return (await res.json()) as Todo;
}

async function list(query = ""): Promise<{ items: Todo[]; nextCursor: string | null }> {
  const res = await apiCall(token, "GET", `/api/todos${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Todo[]; nextCursor: string | null };
}

describe("create", () => {
  test("returns 201 with the todo, trimmed, and its Location", async () => {
    const res = await apiCall(token, "POST", "/api/todos", { title: "  Buy milk  ", dueAt: "2026-12-24T18:00:00Z" });
    expect(res.status).toBe(201);
    const todo = (await res.json()) as Todo;
    expect(todo).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      title: "Buy milk",
      completed: false,
      position: 1,
      dueAt: "2026-12-24T18:00:00.000Z",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    expect(res.headers.get("Location")).toBe(`/api/todos/${todo.id}`);
    expect(res.headers.get("ETag")).toBe('"1"');
  });

  test("appends: each new todo goes after the last", async () => {
    const a = await create("a");
    const b = await create("b");
    expect(b.position).toBeGreaterThan(a.position);
  });

  test.each([
    [{ title: "" }, '"title": must not be empty'],
    [{ title: "   " }, '"title": must not be empty'],
    [{ title: "x".repeat(501) }, '"title": must be at most 500 characters'],
    [{ title: "\u200b" }, '"title": must contain a visible character'],
    [{ title: " \u200d\ufeff\u00a0" }, '"title": must contain a visible character'],
    [{ title: "pay \u202eexe.txt" }, '"title": must not contain bidirectional control characters'],
    [{ title: "a\u0000b" }, '"title": must not contain control characters'],
    [{ title: "two\nlines" }, '"title": must not contain control characters'],
    [{ title: "a\ud800" }, '"title": must be valid Unicode text'],
    [{ title: 42 }, '"title"'],
    [{}, '"title"'],
    [{ title: "ok", dueAt: "tomorrow" }, '"dueAt"'],
    [{ title: "ok", userId: "someone" }, 'Unknown field "userId"'],
  ])("422 names the field for %j", async (body, detail) => {
    const res = await apiCall(token, "POST", "/api/todos", body);
    expect(res.status).toBe(422);
    const error = await errorBody(res);
    expect(error).toMatchObject({ status_code: 422, error_type: "validation_error" });
    expect(error.detail).toContain(detail);
  });

  test("accepts exactly 500 characters", async () => {
    expect((await create("x".repeat(500))).title).toHaveLength(500);
  });
});

describe("list", () => {
  test("is ordered by position, filters by status, and pages with a cursor", async () => {
    const titles = ["one", "two", "three", "four", "five"];
    const created = [];
    for (const title of titles) created.push(await create(title));
    await apiCall(token, "PATCH", `/api/todos/${created[1]!.id}`, { completed: true });
    await apiCall(token, "PATCH", `/api/todos/${created[3]!.id}`, { completed: true });

    expect((await list()).items.map((t) => t.title)).toEqual(titles);
    expect((await list("?status=active")).items.map((t) => t.title)).toEqual(["one", "three", "five"]);
    expect((await list("?status=completed")).items.map((t) => t.title)).toEqual(["two", "four"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(titles);
    expect(pages).toBe(3);
  });

  test("a moved item takes its new place", async () => {
    const a = await create("a");
    await create("b");
    await apiCall(token, "PATCH", `/api/todos/${a.id}`, { position: 10 });
    expect((await list()).items.map((t) => t.title)).toEqual(["b", "a"]);
  });

  test.each(["?limit=0", "?limit=101", "?limit=abc", "?status=done", "?cursor=garbage", "?sort=title"])(
    "422 for %s",
    async (query) => {
      const res = await apiCall(token, "GET", `/api/todos${query}`);
      expect(res.status).toBe(422);
      expect(await errorBody(res)).toMatchObject({ error_type: "validation_error" });
    },
  );
});

describe("one todo", () => {
  test("read, update each field, delete", async () => {
    const todo = await create("draft");
    const read = await apiCall(token, "GET", `/api/todos/${todo.id}`);
    expect(await read.json()).toEqual(todo);

    const patched = await apiCall(token, "PATCH", `/api/todos/${todo.id}`, {
      title: " final ",
      completed: true,
      position: 2.5,
      dueAt: "2027-01-01T00:00:00.000Z",
    });
    expect(patched.status).toBe(200);
    const updated = (await patched.json()) as Todo;
    expect(updated).toMatchObject({
      title: "final",
      completed: true,
      position: 2.5,
      dueAt: "2027-01-01T00:00:00.000Z",
      version: 2,
    });
    expect(patched.headers.get("ETag")).toBe('"2"');
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(todo.updatedAt).getTime());

    const cleared = (await (await apiCall(token, "PATCH", `/api/todos/${todo.id}`, { dueAt: null })).json()) as Todo;
    expect(cleared.dueAt).toBeNull();

    expect((await apiCall(token, "DELETE", `/api/todos/${todo.id}`)).status).toBe(204);
    const gone = await apiCall(token, "GET", `/api/todos/${todo.id}`);
    expect(gone.status).toBe(404);
    expect(await errorBody(gone)).toEqual({ detail: "Todo not found", status_code: 404, error_type: "not_found" });
    expect((await apiCall(token, "DELETE", `/api/todos/${todo.id}`)).status).toBe(404);
  });

  test.each([
    [{}, "at least one"],
    [{ completed: "yes" }, '"completed"'],
    [{ position: "first" }, '"position"'],
    [{ title: "" }, '"title"'],
    [{ id: "00000000-0000-0000-0000-000000000000" }, 'Unknown field "id"'],
    [{ createdAt: "2020-01-01T00:00:00Z" }, 'Unknown field "createdAt"'],
  ])("PATCH %j is 422 and changes nothing", async (body, detail) => {
    const todo = await create("keep me");
    const res = await apiCall(token, "PATCH", `/api/todos/${todo.id}`, body);
    expect(res.status).toBe(422);
    expect((await errorBody(res)).detail).toContain(detail);
    expect(await (await apiCall(token, "GET", `/api/todos/${todo.id}`)).json()).toEqual(todo);
  });

  test("a malformed id is simply not found", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await apiCall(
        token,
        method,
        "/api/todos/not-a-uuid",
        method === "PATCH" ? { title: "x" } : undefined,
      );
      expect(res.status).toBe(404);
    }
  });
});

describe("bulk", () => {
  test("complete-all, then clear completed", async () => {
    for (const title of ["a", "b", "c"]) await create(title);
    const done = await apiCall(token, "POST", "/api/todos/complete-all", {});
    expect(await done.json()).toEqual({ updated: 3 });
    expect((await list("?status=active")).items).toHaveLength(0);

    const undone = await apiCall(token, "POST", "/api/todos/complete-all", { completed: false });
    expect(await undone.json()).toEqual({ updated: 3 });

    await apiCall(token, "POST", "/api/todos/complete-all", {});
    await create("d");
    const cleared = await apiCall(token, "DELETE", "/api/todos?status=completed");
    expect(await cleared.json()).toEqual({ deleted: 3 });
    expect((await list()).items.map((t) => t.title)).toEqual(["d"]);
  });

  test("DELETE /api/todos without status=completed deletes nothing", async () => {
    await create("precious");
    for (const query of ["", "?status=all", "?status=active"]) {
      expect((await apiCall(token, "DELETE", `/api/todos${query}`)).status).toBe(422);
    }
    expect((await list()).items).toHaveLength(1);
  });
});

describe("/api/users/:userId/todos", () => {
  test("works for the token's own user id", async () => {
    const created = await apiCall(token, "POST", `/api/users/${userId}/todos`, { title: "via user path" });
    expect(created.status).toBe(201);
    const todo = (await created.json()) as Todo;
    expect(created.headers.get("Location")).toBe(`/api/users/${userId}/todos/${todo.id}`);
    const res = await apiCall(token, "GET", `/api/users/${userId}/todos`);
    expect(((await res.json()) as { items: Todo[] }).items.map((t) => t.id)).toEqual([todo.id]);
    expect((await apiCall(token, "PATCH", `/api/users/${userId}/todos/${todo.id}`, { completed: true })).status).toBe(
      200,
    );
    expect((await apiCall(token, "POST", `/api/users/${userId}/todos/complete-all`, {})).status).toBe(200);
    expect((await apiCall(token, "DELETE", `/api/users/${userId}/todos/${todo.id}`)).status).toBe(204);
  });
});
