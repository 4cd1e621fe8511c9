// POST /api/todos with an Idempotency-Key: a retried create returns the first one's todo instead of
// making another, even when the retries race each other.
import { describe, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, call, signedInUser } from "../../test/client.ts";

function create(token: string, body: unknown, key?: string) {
  return call("/api/todos", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      ...(key === undefined ? {} : { "Idempotency-Key": key }),
    },
    body: JSON.stringify(body),
  });
}

async function count(token: string): Promise<number> {
  return ((await (await apiCall(token, "GET", "/api/todos?limit=100")).json()) as { items: unknown[] }).items.length;
}

describe("Idempotency-Key", () => {
  test("a retry returns the same todo, marked as replayed, and makes no second row", async () => {
    const { token } = await signedInUser();
    const key = crypto.randomUUID();
    const first = await create(token, { title: "pay rent" }, key);
    const retry = await create(token, { title: "pay rent" }, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(((await retry.json()) as Todo).id).toBe(((await first.json()) as Todo).id);
    expect(await count(token)).toBe(1);
  });

  test("ten racing retries make one row", async () => {
    const { token } = await signedInUser();
    const key = crypto.randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, () => create(token, { title: "once" }, key)));
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as Todo).id)));
    expect(ids.size).toBe(1);
    expect(await count(token)).toBe(1);
  });

  test("keys are per user, reusing one for a different todo is 422, and a bad key is 400", async () => {
    const [alice, bob] = await Promise.all([signedInUser(), signedInUser()]);
    const key = crypto.randomUUID();
    expect((await create(alice.token, { title: "alice" }, key)).status).toBe(201);
    expect((await create(bob.token, { title: "bob" }, key)).status).toBe(201);
    expect((await create(alice.token, { title: "something else" }, key)).status).toBe(422);
    expect((await create(alice.token, { title: "x" }, "has spaces")).status).toBe(400);
    expect((await create(alice.token, { title: "x" }, "k".repeat(256))).status).toBe(400);
  });

  test("without a key, two creates are two todos", async () => {
    const { token } = await signedInUser();
    await create(token, { title: "same" });
    await create(token, { title: "same" });
    expect(await count(token)).toBe(2);
  });
});
