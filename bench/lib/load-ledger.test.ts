import { describe, expect, it } from "vitest";
import { type Answer, DEFAULT_MIX, type LoadUser, type OpKind, type PlannedOp, TodoLedger } from "./todo-ledger.ts";
import { auditWrites } from "./write-audit.ts";

/** A deterministic generator (mulberry32), so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const users = (n: number): LoadUser[] =>
  Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, cookie: `c${i}`, token: `t${i}` }));
const only = (kind: OpKind) =>
  Object.fromEntries(Object.keys(DEFAULT_MIX).map((k) => [k, k === kind ? 1 : 0])) as Record<OpKind, number>;

/**
 * An in-memory todo API with the real one's semantics for what the load sends: owner checks,
 * versions and If-Match, 404 for a missing todo. Used to drive the ledger as the app would.
 */
class FakeApi {
  rows = new Map<string, { userId: string; version: number; completed: boolean }>();
  private next = 0;

  answer(ledger: TodoLedger, op: PlannedOp): Answer {
    const req = ledger.request(op);
    const userId = req.headers.Authorization?.replace("Bearer t", "u") ?? ledger.users[op.user]?.userId;
    const row = op.todoId ? this.rows.get(op.todoId) : undefined;
    const mine = row && row.userId === userId ? row : undefined;
    const ifMatch = req.headers["If-Match"];
    switch (op.kind) {
      case "create": {
        const id = `id-${++this.next}`;
        this.rows.set(id, { userId: userId as string, version: 1, completed: false });
        return { status: 201, body: JSON.stringify({ id, version: 1, completed: false }) };
      }
      case "toggle":
        if (!mine) return { status: 404, body: "{}" };
        if (ifMatch && ifMatch !== `"${mine.version}"`) return { status: 412, body: "{}" };
        mine.version++;
        mine.completed = JSON.parse(req.body as string).completed;
        return {
          status: 200,
          body: JSON.stringify({ id: op.todoId, version: mine.version, completed: mine.completed }),
        };
      case "delete":
        if (!mine) return { status: 404, body: "{}" };
        if (ifMatch && ifMatch !== `"${mine.version}"`) return { status: 412, body: "{}" };
        this.rows.delete(op.todoId as string);
        return { status: 204, body: "" };
      case "get":
        return mine ? { status: 200, body: JSON.stringify({ id: op.todoId }) } : { status: 404, body: "{}" };
      case "list": {
        const items = [...this.rows].filter(([, r]) => r.userId === userId).map(([id]) => ({ id }));
        return { status: 200, body: JSON.stringify({ items }) };
      }
      case "refresh":
        return { status: 200, body: JSON.stringify({ token: `t${op.user}` }) };
    }
  }
}

describe("the load test's ledger", () => {
  it("never has two requests in flight on one todo, so a mixed run at 50 connections gets only 2xx and loses nothing", () => {
    const random = seeded(42);
    const ledger = new TodoLedger(users(3), { maxLivePerUser: 40, runId: "t", random });
    const api = new FakeApi();
    const inFlight: PlannedOp[] = [];
    const statuses: Record<number, number> = {};
    for (let step = 0; step < 5000; step++) {
      while (inFlight.length < 50) inFlight.push(ledger.next());
      // Answers arrive in any order.
      const [op] = inFlight.splice(Math.floor(random() * inFlight.length), 1) as [PlannedOp];
      const answer = api.answer(ledger, op);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      expect(ledger.settle(op, answer)).toBe(answer.status < 300);
    }
    // The same reservation is what makes every op safe: no 404 (a race with a delete), no 412.
    expect(Object.keys(statuses).sort()).toEqual(["200", "201", "204"]);
    expect(ledger.anomalies).toEqual([]);
    expect(
      ledger
        .unanswered()
        .map((op) => op.seq)
        .sort(),
    ).toEqual(inFlight.map((op) => op.seq).sort());
    // The run hit the cap and kept going with deletes instead of creates.
    for (let u = 0; u < 3; u++) expect(ledger.liveCount(u)).toBeLessThanOrEqual(40);
    expect(ledger.deleted.size).toBeGreaterThan(100);

    // Answer what is still in flight, then audit against the fake database: nothing lost.
    for (const op of inFlight) ledger.settle(op, api.answer(ledger, op));
    const created = new Map([...ledger.created].map(([id, u]) => [id, `u${u}`]));
    const found = [...api.rows].map(([id, r]) => ({ id, userId: r.userId }));
    const audit = auditWrites({ created, deleted: ledger.deleted, found });
    expect(audit.ok).toBe(true);
    expect(audit.expected).toBe(api.rows.size);
  });

  it("sends each create once with its own Idempotency-Key, and a toggle's If-Match is the version the last answer gave", () => {
    const ledger = new TodoLedger(users(1), {
      maxLivePerUser: 10,
      runId: "run",
      mix: only("create"),
      random: () => 0.1,
    });
    const create = ledger.next();
    const second = ledger.next();
    expect(ledger.request(create).headers["Idempotency-Key"]).toBe(`run-${create.seq}`);
    expect(ledger.request(second).headers["Idempotency-Key"]).not.toBe(
      ledger.request(create).headers["Idempotency-Key"],
    );
    ledger.settle(create, { status: 201, body: JSON.stringify({ id: "x", version: 1, completed: false }) });

    const toggler = new TodoLedger(users(1), {
      maxLivePerUser: 10,
      runId: "run",
      mix: only("toggle"),
      random: () => 0.1,
    });
    toggler.recordCreated(0, "x", 4, false);
    const toggle = toggler.next();
    expect(toggle).toMatchObject({ kind: "toggle", todoId: "x", completed: true, ifMatch: 4 });
    expect(toggler.request(toggle).headers["If-Match"]).toBe('"4"');
    toggler.settle(toggle, { status: 200, body: JSON.stringify({ id: "x", version: 5, completed: true }) });
    expect(toggler.next()).toMatchObject({ kind: "toggle", todoId: "x", completed: false, ifMatch: 5 });
  });

  it("keeps a todo whose request failed out of the mix until it is resolved", () => {
    const ledger = new TodoLedger(users(1), {
      maxLivePerUser: 10,
      runId: "run",
      mix: only("delete"),
      random: () => 0.1,
    });
    ledger.recordCreated(0, "x");
    const del = ledger.next();
    expect(del).toMatchObject({ kind: "delete", todoId: "x" });
    expect(ledger.settle(del, { status: 503, body: "{}" })).toBe(false);
    expect(ledger.unanswered()).toEqual([del]);
    // Its only todo is reserved: the next "delete" has nothing to work on and creates instead.
    expect(ledger.next().kind).toBe("create");
    ledger.resolve(del);
    ledger.recordDeleted(0, "x");
    expect(ledger.deleted.has("x")).toBe(true);
    expect(ledger.liveCount(0)).toBe(0);
  });

  it("records what must never happen: another user's todo in a list, a replay nobody asked for", () => {
    const ledger = new TodoLedger(users(2), { maxLivePerUser: 10, runId: "run", mix: only("list"), random: () => 0.9 });
    ledger.recordCreated(0, "alices");
    const list = ledger.next();
    expect(list.user).toBe(1);
    ledger.settle(list, { status: 200, body: JSON.stringify({ items: [{ id: "alices" }] }) });
    expect(ledger.anomalies).toEqual([`list ${list.seq}: user 1 was shown user 0's todo alices`]);

    const creator = new TodoLedger(users(1), { maxLivePerUser: 10, runId: "run", mix: only("create") });
    const create = creator.next();
    creator.settle(create, {
      status: 201,
      body: JSON.stringify({ id: "y", version: 1 }),
      headers: { "idempotent-replayed": "true" },
    });
    expect(creator.anomalies).toEqual([`create ${create.seq}: answered as a replay, but it was sent once`]);
  });

  it("refreshes replace the user's access token", () => {
    const ledger = new TodoLedger(users(1), { maxLivePerUser: 10, runId: "run", mix: only("refresh") });
    const refresh = ledger.next();
    expect(ledger.request(refresh)).toEqual({ method: "GET", path: "/api/auth/token", headers: { Cookie: "c0" } });
    ledger.settle(refresh, { status: 200, body: JSON.stringify({ token: "fresh" }) });
    expect(ledger.request({ seq: 99, kind: "list", user: 0, status: "all" }).headers.Authorization).toBe(
      "Bearer fresh",
    );
  });
});
