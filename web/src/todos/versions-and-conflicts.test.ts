// How one tab's changes reach the server (todo-sync.ts, through the real API client, against a
// scripted server): in order, each PATCH/DELETE conditional on the version the change before it
// produced (also for a todo whose create is still on its way), a read of the list in its turn, a
// 412 turned into the todo's latest version, changes made on the outdated copy refused without
// being sent, and a retried write that had gone through not mistaken for a conflict.
import { describe, expect, it } from "vitest";
import type { Todo } from "#contract";
import { apiError, json, noContent, todo, useScriptedApi } from "../../test/scripted-api.ts";
import { createTodoSync, type LocalTodo, type Outcome } from "./todo-sync.ts";

const http = useScriptedApi();
const stale = () => apiError(412, "precondition_failed", "The todo changed since you read it; reload it and try again");

/** A sync of plain todos, as the page's list would hold them; `shown` is what it showed as the
 * server has it now, after a refusal (latest undefined: gone). */
function createSync() {
  const shown: { id: string; latest: Todo | undefined }[] = [];
  const { api } = http.client();
  const sync = createTodoSync<LocalTodo>(api, {
    update: (todo, fields) => Object.assign(todo, fields),
    show(todo, latest) {
      shown.push({ id: todo.id, latest });
      Object.assign(todo, latest);
    },
  });
  return { sync, shown, api };
}

/** The refusal of a change that ended as changed elsewhere. */
function conflict(outcome: Outcome) {
  expect(outcome.kind).toBe("conflict");
  return (outcome as Extract<Outcome, { kind: "conflict" }>).error;
}

describe("one tab's changes", () => {
  it("made while the todo's create is on its way: sent after it, each If-Match the version the one before made", async () => {
    const { sync } = createSync();
    const milk = todo("Milk");
    http.script = [
      json(201, milk),
      json(200, { ...milk, title: "Oat milk", version: 2 }),
      json(200, { ...milk, title: "Oat milk", completed: true, version: 3 }),
      noContent,
    ];
    // As the page does it: all three before the create is answered; the todo still has its local id.
    const local = { id: "pending-1", version: 0, saving: true };
    const created = sync.create(local, "Milk", crypto.randomUUID());
    const renamed = sync.patch(local, { title: "Oat milk" });
    const ticked = sync.patch(local, { completed: true });
    const deleted = sync.remove(local);

    const outcomes = await Promise.all([created, renamed, ticked, deleted]);

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["saved", "saved", "saved", "saved"]);
    expect(http.seen.map((s) => [s.method, s.url, s.ifMatch ?? null])).toEqual([
      ["POST", "/api/todos", null],
      ["PATCH", `/api/todos/${milk.id}`, '"1"'],
      ["PATCH", `/api/todos/${milk.id}`, '"2"'],
      ["DELETE", `/api/todos/${milk.id}`, '"3"'],
    ]);
  });

  it("a retry of a PATCH that went through (answer lost) is refused as stale, and recognised as this change", async () => {
    const { sync } = createSync();
    const milk = todo("Milk", { version: 4 });
    // The first try lands but its answer is a 503; the retry finds version 5 holding this very patch.
    http.script = [
      apiError(503, "service_unavailable", "busy"),
      stale(),
      json(200, { ...milk, title: "Oat milk", version: 5 }),
    ];

    const saved = await sync.patch(milk, { title: "Oat milk" });

    expect(saved.kind).toBe("saved");
    expect(milk.version).toBe(5);
    expect(http.seen.map((s) => [s.method, s.ifMatch ?? null])).toEqual([
      ["PATCH", '"4"'],
      ["PATCH", '"4"'],
      ["GET", null],
    ]);
    // The next change builds on it.
    http.script = [json(200, { ...milk, title: "Oat milk", completed: true, version: 6 })];
    await sync.patch(milk, { completed: true });
    expect(http.seen.at(-1)!.ifMatch).toBe('"5"');
  });

  it("a read of the list goes out in turn, and knows which todos were changed after it was sent", async () => {
    const { sync, api } = createSync();
    const [milk, eggs] = [todo("Milk"), todo("Eggs")];
    http.script = [
      json(200, { ...milk, completed: true, version: 2 }),
      json(200, { items: [{ ...milk, completed: true, version: 2 }, eggs], nextCursor: null }),
      json(200, { ...eggs, completed: true, version: 2 }),
    ];
    let changedAfter: Set<string> | undefined;

    const before = sync.patch(milk, { completed: true });
    const read = sync.inOrder([], async (later) => {
      await api.todos.list();
      changedAfter = later();
    });
    const after = sync.patch(eggs, { completed: true });
    await Promise.all([before, read, after]);

    expect(http.seen.map((s) => s.method)).toEqual(["PATCH", "GET", "PATCH"]);
    expect(changedAfter).toEqual(new Set([eggs.id]));
  });
});

describe("a todo changed in another tab or device", () => {
  it("refuses the change with the latest version, refuses unsent the changes made before that, and lets later ones build on it", async () => {
    const { sync, shown } = createSync();
    const milk = todo("Milk");
    const theirs = { ...milk, title: "Milk (from the other tab)", version: 2 };
    http.script = [stale(), json(200, theirs)];

    const mine = sync.patch(milk, { title: "My milk" });
    const tickedOnTheOldCopy = sync.patch(milk, { completed: true });
    const deletedOnTheOldCopy = sync.remove(milk);

    expect(conflict(await mine).status).toBe(412);
    expect(shown).toEqual([{ id: milk.id, latest: theirs }]);
    // Refused too, and not read or shown again.
    expect(conflict(await tickedOnTheOldCopy).status).toBe(412);
    expect(conflict(await deletedOnTheOldCopy).status).toBe(412);
    expect(shown).toHaveLength(1);
    expect(http.seen.map((s) => [s.method, s.ifMatch ?? null])).toEqual([
      ["PATCH", '"1"'],
      ["GET", null],
    ]);

    // Made after the user was shown their version: sent, If-Match that version.
    http.script = [json(200, { ...theirs, title: "My milk", version: 3 })];
    await sync.patch(milk, { title: "My milk" });
    expect(http.seen.at(-1)).toMatchObject({ method: "PATCH", ifMatch: '"2"', body: { title: "My milk" } });
  });

  it("one version on but not holding this change is a conflict, not a lost answer", async () => {
    const { sync, shown } = createSync();
    const milk = todo("Milk");
    http.script = [stale(), json(200, { ...milk, title: "Theirs", version: 2 })];

    expect(conflict(await sync.patch(milk, { title: "Mine" })).status).toBe(412);

    expect(shown[0]!.latest).toMatchObject({ title: "Theirs", version: 2 });
  });

  it("deleted: a PATCH finds it gone; a DELETE (404, or 412 then gone) counts as done", async () => {
    const { sync, shown } = createSync();
    const [a, b, c] = [todo("a"), todo("b"), todo("c")];
    const notFound = () => apiError(404, "not_found", "Todo not found");
    http.script = [notFound(), notFound(), stale(), notFound()];

    const gone = await sync.patch(a, { completed: true });
    expect((await sync.remove(b)).kind).toBe("saved");
    expect((await sync.remove(c)).kind).toBe("saved");

    expect(shown).toEqual([{ id: a.id, latest: undefined }]);
    expect(conflict(gone).status).toBe(404);
    expect(http.seen.map((s) => s.method)).toEqual(["PATCH", "DELETE", "DELETE", "GET"]);
  });
});
