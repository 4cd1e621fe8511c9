// Concurrency: nothing lost, nothing doubled. Simultaneous sign-ups with one e-mail, bursts of
// creates, racing deletes, and two tabs editing one todo (optimistic concurrency with If-Match).
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, BASE, call, freshIp, STRONG_PASSWORD, signedInUser, uniqueEmail } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { account, user } from "../db/schema/index.ts";

describe("sign-up", () => {
  test("50 simultaneous sign-ups with one e-mail make exactly one user and one account", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        call("/api/auth/sign-up/email", {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
          body: JSON.stringify({ name: "Racer", email, password: STRONG_PASSWORD }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const res of responses.filter((r) => r.status !== 200)) {
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ status_code: 409, error_type: "conflict" });
    }
    const db = await createDb(getConfig(env));
    const users = await db.select().from(user).where(eq(user.email, email));
    expect(users).toHaveLength(1);
    expect(await db.select().from(account).where(eq(account.userId, users[0]!.id))).toHaveLength(1);
  });
});

describe("todos", () => {
  test("100 simultaneous creates by one user: 100 rows, unique ids, all listed; another user's burst never mixes in", async () => {
    const [alice, bob] = await Promise.all([signedInUser(), signedInUser()]);
    const burst = (token: string, who: string) =>
      Promise.all(
        Array.from({ length: 100 }, (_, i) => apiCall(token, "POST", "/api/todos", { title: `${who} ${i}` })),
      );
    const [aliceRes, bobRes] = await Promise.all([burst(alice.token, "alice"), burst(bob.token, "bob")]);
    expect(aliceRes.every((r) => r.status === 201) && bobRes.every((r) => r.status === 201)).toBe(true);
    const ids = await Promise.all(aliceRes.map(async (r) => ((await r.json()) as Todo).id));
    expect(new Set(ids).size).toBe(100);

    const list = async (token: string) =>
      (await (await apiCall(token, "GET", "/api/todos?limit=100")).json()) as {
        items: Todo[];
        nextCursor: string | null;
      };
    const aliceList = await list(alice.token);
    expect(aliceList.items).toHaveLength(100);
    expect(aliceList.nextCursor).toBeNull();
    expect(new Set(aliceList.items.map((t) => t.id))).toEqual(new Set(ids));
    expect(aliceList.items.every((t) => t.title.startsWith("alice "))).toBe(true);
    expect((await list(bob.token)).items.every((t) => t.title.startsWith("bob "))).toBe(true);
  });

  test("100 simultaneous deletes of one todo: one 204, the rest 404", async () => {
    const { token } = await signedInUser();
    const todo = (await (await apiCall(token, "POST", "/api/todos", { title: "delete me" })).json()) as Todo;
    const statuses = (
      await Promise.all(Array.from({ length: 100 }, () => apiCall(token, "DELETE", `/api/todos/${todo.id}`)))
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(99);
  });
});

describe("optimistic concurrency", () => {
  async function setup() {
    const { token } = await signedInUser();
    const created = await apiCall(token, "POST", "/api/todos", { title: "shared" });
    const todo = (await created.json()) as Todo;
    return { token, todo, etag: created.headers.get("ETag")! };
  }

  function patch(token: string, id: string, body: unknown, ifMatch?: string) {
    return call(`/api/todos/${id}`, {
      method: "PATCH",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        ...(ifMatch ? { "If-Match": ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  test("a second tab's stale write is refused with 412 and overwrites nothing", async () => {
    const { token, todo, etag } = await setup();
    const first = await patch(token, todo.id, { title: "tab one" }, etag);
    expect(first.status).toBe(200);
    expect(first.headers.get("ETag")).toBe('"2"');

    const second = await patch(token, todo.id, { title: "tab two" }, etag);
    expect(second.status).toBe(412);
    expect(await second.json()).toMatchObject({ status_code: 412, error_type: "precondition_failed" });
    const now = (await (await apiCall(token, "GET", `/api/todos/${todo.id}`)).json()) as Todo;
    expect(now).toMatchObject({ title: "tab one", version: 2 });
  });

  test("two simultaneous writes from the same version: exactly one wins", async () => {
    const { token, todo, etag } = await setup();
    const results = await Promise.all([
      patch(token, todo.id, { title: "A" }, etag),
      patch(token, todo.id, { title: "B" }, etag),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  test("If-Match on delete; * and no If-Match mean unconditional; a malformed one is 400", async () => {
    const { token, todo } = await setup();
    const stale = await call(`/api/todos/${todo.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}`, "If-Match": '"99"' },
    });
    expect(stale.status).toBe(412);
    expect((await patch(token, todo.id, { completed: true }, "*")).status).toBe(200);
    expect((await patch(token, todo.id, { completed: false })).status).toBe(200);
    expect((await patch(token, todo.id, { completed: true }, "version-3")).status).toBe(400);
    // If-Match compares strongly: a weak validator never matches, even with the right number.
    expect((await patch(token, todo.id, { completed: true }, 'W/"3"')).status).toBe(412);
    const gone = await call(`/api/todos/${todo.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}`, "If-Match": '"3"' },
    });
    expect(gone.status).toBe(204);
    // A stale precondition on a todo that no longer exists is a 404, not a 412.
    expect((await patch(token, todo.id, { completed: true }, '"3"')).status).toBe(404);
  });
});
