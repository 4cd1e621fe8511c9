// How one tab's changes reach the server (todo-sync.ts, through the real API client, against a
// scripted server): in order, each PATCH/DELETE conditional on the version the change before it
// produced (also for a todo whose create is still on its way), a 412 turned into the todo's latest
// version, changes made on the outdated copy refused without being sent, and a retried write that
// had gone through not mistaken for a conflict.
import { describe, expect, it } from "vitest";
import { apiError, json, noContent, todo, useScriptedApi } from "../../test/scripted-api.ts";
import { ChangedElsewhere, createTodoSync } from "./todo-sync.ts";

const http = useScriptedApi();
const stale = () => apiError(412, "precondition_failed", "The todo changed since you read it; reload it and try again");

async function rejection(promise: Promise<unknown>): Promise<ChangedElsewhere> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ChangedElsewhere);
  return error as ChangedElsewhere;
}

describe("one tab's changes", () => {
  it("made while the todo's create is on its way: sent after it, each If-Match the version the one before made", async () => {
    const sync = createTodoSync(http.client().api);
    const milk = todo("Milk");
    http.script = [
      json(201, milk),
      json(200, { ...milk, title: "Oat milk", version: 2 }),
      json(200, { ...milk, title: "Oat milk", completed: true, version: 3 }),
      noContent,
    ];
    // As the page does it: all three before the create is answered; the todo still has its local id.
    const local = { id: "pending-1" };
    const created = sync.create(local.id, "Milk", crypto.randomUUID(), () => {});
    const renamed = sync.patch(local, { title: "Oat milk" }, sync.change(local.id));
    const ticked = sync.patch(local, { completed: true }, sync.change(local.id));
    const deleted = sync.remove(local, sync.change(local.id));

    await Promise.all([created, renamed, ticked, deleted]);

    expect(http.seen.map((s) => [s.method, s.url, s.ifMatch ?? null])).toEqual([
      ["POST", "/api/todos", null],
      ["PATCH", `/api/todos/${milk.id}`, '"1"'],
      ["PATCH", `/api/todos/${milk.id}`, '"2"'],
      ["DELETE", `/api/todos/${milk.id}`, '"3"'],
    ]);
  });

  it("a retry of a PATCH that went through (answer lost) is refused as stale, and recognised as this change", async () => {
    const sync = createTodoSync(http.client().api);
    const milk = todo("Milk", { version: 4 });
    sync.see(milk);
    // The first try lands but its answer is a 503; the retry finds version 5 holding this very patch.
    http.script = [
      apiError(503, "service_unavailable", "busy"),
      stale(),
      json(200, { ...milk, title: "Oat milk", version: 5 }),
    ];

    const saved = await sync.patch(milk, { title: "Oat milk" }, sync.change(milk.id));

    expect(saved.version).toBe(5);
    expect(http.seen.map((s) => [s.method, s.ifMatch ?? null])).toEqual([
      ["PATCH", '"4"'],
      ["PATCH", '"4"'],
      ["GET", null],
    ]);
    // The next change builds on it.
    http.script = [json(200, { ...milk, title: "Oat milk", completed: true, version: 6 })];
    await sync.patch(milk, { completed: true }, sync.change(milk.id));
    expect(http.seen.at(-1)!.ifMatch).toBe('"5"');
  });
});

describe("a todo changed in another tab or device", () => {
  it("refuses the change with the latest version, refuses unsent the changes made before that, and lets later ones build on it", async () => {
    const sync = createTodoSync(http.client().api);
    const milk = todo("Milk");
    sync.see(milk);
    const theirs = { ...milk, title: "Milk (from the other tab)", version: 2 };
    http.script = [stale(), json(200, theirs)];

    const mine = sync.patch(milk, { title: "My milk" }, sync.change(milk.id));
    const tickedOnTheOldCopy = sync.patch(milk, { completed: true }, sync.change(milk.id));
    const deletedOnTheOldCopy = sync.remove(milk, sync.change(milk.id));

    const refused = await rejection(mine);
    expect(refused.error.status).toBe(412);
    expect(refused.latest).toEqual(theirs);
    expect((await rejection(tickedOnTheOldCopy)).latest).toBe("shown");
    expect((await rejection(deletedOnTheOldCopy)).latest).toBe("shown");
    expect(http.seen.map((s) => [s.method, s.ifMatch ?? null])).toEqual([
      ["PATCH", '"1"'],
      ["GET", null],
    ]);

    // Made after the user was shown their version: sent, If-Match that version.
    http.script = [json(200, { ...theirs, title: "My milk", version: 3 })];
    await sync.patch(milk, { title: "My milk" }, sync.change(milk.id));
    expect(http.seen.at(-1)).toMatchObject({ method: "PATCH", ifMatch: '"2"', body: { title: "My milk" } });
  });

  it("one version on but not holding this change is a conflict, not a lost answer", async () => {
    const sync = createTodoSync(http.client().api);
    const milk = todo("Milk");
    sync.see(milk);
    http.script = [stale(), json(200, { ...milk, title: "Theirs", version: 2 })];

    const refused = await rejection(sync.patch(milk, { title: "Mine" }, sync.change(milk.id)));

    expect(refused.latest).toMatchObject({ title: "Theirs", version: 2 });
  });

  it("deleted: a PATCH finds it gone; a DELETE (404, or 412 then gone) counts as done", async () => {
    const sync = createTodoSync(http.client().api);
    const [a, b, c] = [todo("a"), todo("b"), todo("c")];
    for (const t of [a, b, c]) sync.see(t);
    const notFound = () => apiError(404, "not_found", "Todo not found");
    http.script = [notFound(), notFound(), stale(), notFound()];

    const gone = await rejection(sync.patch(a, { completed: true }, sync.change(a.id)));
    await sync.remove(b, sync.change(b.id));
    await sync.remove(c, sync.change(c.id));

    expect(gone.latest).toBeUndefined();
    expect(gone.error.status).toBe(404);
    expect(http.seen.map((s) => s.method)).toEqual(["PATCH", "DELETE", "DELETE", "GET"]);
  });
});
