// The Todos page's data: the user's todos loaded through the API client, changed optimistically
// (the list changes at once; the server is told after, in order, each change of a todo conditional
// on the version of it this tab saw: todo-sync.ts). A change the server does not take is rolled
// back, or the todo shown as it is now, and the user's text kept (save-failures.ts).
import { batch } from "solid-js";
import { createStore, produce, reconcile, unwrap } from "solid-js/store";
import type { Todo } from "#contract";
import type { ApiClient } from "../lib/api.ts";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { createSaveFailures, type SaveOutcome } from "./save-failures.ts";
import { createTodoSync } from "./todo-sync.ts";

export interface TodoItem extends Todo {
  /** Added here, not yet confirmed by the server. */
  saving?: boolean;
}

export type Filter = "all" | "active" | "completed";

interface TodosState {
  items: TodoItem[];
  phase: "loading" | "ready" | "error";
  loadError: string | undefined;
}

const byPosition = (a: Todo, b: Todo) =>
  a.position - b.position || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export function matchesFilter(todo: Todo, filter: Filter): boolean {
  return filter === "all" || todo.completed === (filter === "completed");
}

export function createTodosStore(api: ApiClient) {
  const [state, setState] = createStore<TodosState>({
    items: [],
    phase: "loading",
    loadError: undefined,
  });
  const sync = createTodoSync(api);
  const failures = createSaveFailures({ showLatest, reload: load });
  const { failed, succeeded } = failures;
  /** Titles sent and not yet answered, by todo: what an ending session must not lose. */
  const renaming = new Map<TodoItem, string>();
  let pendingSeq = 0;
  let loading: Promise<void> | undefined;

  const indexOf = (item: TodoItem) => state.items.indexOf(item);
  /** Server ids of todos added here, by the local id they had until their create was answered: an
   * editor opened before then still finds its todo. */
  const aliases = new Map<string, string>();
  const idOf = (id: string) => aliases.get(id) ?? id;
  const find = (id: string) => state.items.find((todo) => todo.id === idOf(id));

  /** Sets `field` of `item` back to `before`, unless a later change has moved it on already. */
  function rollback<K extends "title" | "completed">(
    item: TodoItem,
    field: K,
    expected: TodoItem[K],
    before: TodoItem[K],
  ) {
    const index = indexOf(item);
    if (index >= 0 && state.items[index]![field] === expected) setState("items", index, field, before);
  }

  /** Shows a todo as the server has it now: updated in place, put back, or (gone) taken away. */
  function showLatest(id: string, latest: Todo | undefined) {
    const index = state.items.findIndex((todo) => todo.id === id);
    if (!latest) {
      if (index >= 0) setState("items", (items) => items.filter((_, i) => i !== index));
    } else if (index >= 0) {
      setState("items", index, { ...latest, saving: false });
    } else {
      setState("items", (items) => [...items, { ...latest }].sort(byPosition));
    }
  }

  /** Shows the server's list (todo-sync.ts decides where this tab's copy wins), keeping identities. */
  function merge(loaded: Todo[], since: number, expected?: ReadonlyMap<string, number>) {
    const merged = sync.merge(unwrap(state.items), loaded, since, expected).sort(byPosition);
    setState("items", reconcile(merged, { key: "id", merge: true }));
  }

  /** (Re)loads the list; changes made meanwhile are kept, and items keep their identity. */
  function load(): Promise<void> {
    loading ??= (async () => {
      const since = sync.now();
      if (state.phase === "error") setState("phase", "loading");
      try {
        const loaded = await api.todos.list();
        batch(() => {
          setState({ phase: "ready", loadError: undefined });
          merge(loaded, since);
        });
        succeeded();
      } catch (error) {
        if (error instanceof ApiError && error.sessionExpired) return;
        setState({ phase: state.phase === "ready" ? "ready" : "error", loadError: userMessage(error) });
        failures.loadFailed(error);
      }
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  /** Adds a todo. Re-sending an add from the banner passes its Idempotency-Key again, so that if the
   * first try did reach the server after all, no second todo is made. */
  async function addTodo(
    title: string,
    idempotencyKey = crypto.randomUUID(),
  ): Promise<{ outcome: SaveOutcome; item: TodoItem }> {
    const id = `pending-${++pendingSeq}`;
    const now = new Date().toISOString();
    const position = Math.max(0, ...state.items.map((todo) => todo.position)) + 1;
    const optimistic = {
      id,
      title,
      completed: false,
      position,
      dueAt: null,
      createdAt: now,
      updatedAt: now,
      version: 0,
      saving: true,
    };
    setState("items", state.items.length, optimistic);
    const item = state.items.at(-1)!;
    sync.change(id);
    try {
      await sync.create(id, title, idempotencyKey, (todo) => {
        // Keep the changes made meanwhile (a toggle, an edit); take the server's id and times.
        const { position: serverPosition, createdAt, updatedAt, version } = todo;
        const fields = { id: todo.id, position: serverPosition, createdAt, updatedAt, version, saving: false };
        aliases.set(id, todo.id);
        const index = indexOf(item);
        if (index >= 0) setState("items", index, fields);
        // Deleted meanwhile: still learn what it is on the server, should the delete fail and put it back.
        else Object.assign(unwrap(item), fields);
      });
      succeeded();
      return { outcome: "saved", item };
    } catch (error) {
      const index = indexOf(item);
      // Deleted while it was being added: nothing the user still wants was lost.
      if (index < 0) return { outcome: "kept", item };
      // The todo as the user left it, edits and ticks made meanwhile included.
      const { title: latest, completed } = item;
      setState("items", (items) => items.filter((_, i) => i !== index));
      const outcome = failed(error, {
        what: `Couldn't add "${latest}"`,
        rollback: () => {},
        retry: {
          change: { key: `add:${id}`, label: `add "${latest}"`, text: { newTodo: latest } },
          send: async () => {
            const again = await addTodo(latest, latest === title ? idempotencyKey : undefined);
            if (completed && again.outcome === "saved") await setCompleted(again.item.id, true);
          },
        },
      });
      return { outcome, item };
    }
  }

  async function setCompleted(id: string, completed: boolean): Promise<SaveOutcome> {
    const item = find(id);
    if (!item || item.completed === completed) return "saved";
    const before = item.completed;
    const key = `completed:${item.id}`;
    const madeAt = sync.change(item.id);
    failures.drop(key);
    setState("items", indexOf(item), "completed", completed);
    try {
      saved(item, await sync.patch(item, { completed }, madeAt));
      return "saved";
    } catch (error) {
      return failed(error, {
        what: `Couldn't update "${item.title}"`,
        rollback: () => rollback(item, "completed", completed, before),
        retry: {
          change: { key, label: `mark "${item.title}" ${completed ? "done" : "not done"}` },
          send: () => setCompleted(item.id, completed),
        },
      });
    }
  }

  /** The server took a change of `item`: note its new version. */
  function saved(item: TodoItem, todo: Todo) {
    const index = indexOf(item);
    if (index >= 0) setState("items", index, { version: todo.version, updatedAt: todo.updatedAt });
    succeeded();
  }

  /** Renames a todo (an empty title deletes it). */
  async function rename(id: string, rawTitle: string): Promise<SaveOutcome> {
    const item = find(id);
    const title = rawTitle.trim();
    if (!item || title === item.title) return "saved";
    if (!title) return remove(id);
    const before = item.title;
    const key = `title:${item.id}`;
    const madeAt = sync.change(item.id);
    failures.drop(key);
    setState("items", indexOf(item), "title", title);
    renaming.set(item, title);
    try {
      saved(item, await sync.patch(item, { title }, madeAt));
      return "saved";
    } catch (error) {
      return failed(error, {
        what: `Couldn't rename "${before}"`,
        rollback: () => rollback(item, "title", title, before),
        retry: {
          change: { key, label: `rename "${before}" to "${title}"`, text: { edit: { id: item.id, title } } },
          send: () => rename(item.id, title),
        },
        edit: title,
      });
    } finally {
      if (renaming.get(item) === title) renaming.delete(item);
    }
  }

  /** Deletes a todo. */
  async function remove(id: string): Promise<SaveOutcome> {
    const item = find(id);
    if (!item) return "saved";
    const title = item.title;
    const index = indexOf(item);
    const key = `remove:${item.id}`;
    const madeAt = sync.change(item.id);
    failures.drop(key, `title:${item.id}`, `completed:${item.id}`);
    // (Setter functions see the raw array, not the proxies `find` returns: compare by index.)
    setState("items", (items) => items.filter((_, i) => i !== index));
    try {
      await sync.remove(item, madeAt);
      succeeded();
      return "saved";
    } catch (error) {
      return failed(error, {
        what: `Couldn't delete "${title}"`,
        // As it is now: a todo deleted while it was being added has its server id by now.
        rollback: () => setState("items", (items) => [...items, { ...unwrap(item) }].sort(byPosition)),
        retry: { change: { key, label: `delete "${title}"` }, send: () => remove(item.id) },
      });
    }
  }

  /**
   * Completes every todo (or makes them all active again). The server bumps the version of each
   * todo it changes and says only how many: the list is read again in the same turn, so that the
   * changes queued behind this one are sent with the versions it made.
   */
  async function setAll(completed: boolean): Promise<void> {
    const targets = state.items.map((item) => ({ item, bumped: item.completed !== completed }));
    const changed = targets.filter((t) => t.bumped).map((t) => t.item);
    const madeAt = sync.change(...changed.map((item) => item.id));
    failures.drop("all");
    setState("items", (todo) => todo.completed !== completed, "completed", completed);
    try {
      await sync.inOrder(async () => {
        await api.todos.completeAll(completed);
        await resync(
          madeAt,
          new Map(targets.map(({ item, bumped }) => [item.id, sync.versionOf(item.id) + (bumped ? 1 : 0)])),
        );
      });
      succeeded();
    } catch (error) {
      failed(error, {
        what: completed ? "Couldn't complete all todos" : "Couldn't mark all todos active",
        rollback: () =>
          batch(() => {
            for (const item of changed) rollback(item, "completed", completed, !completed);
          }),
        retry: {
          change: { key: "all", label: completed ? "complete all" : "mark all active" },
          send: () => setAll(completed),
        },
      });
    }
  }

  async function clearCompleted() {
    const removed = state.items.filter((todo) => todo.completed).map((todo) => ({ ...unwrap(todo) }));
    if (!removed.length) return;
    const madeAt = sync.change(...removed.map((todo) => todo.id));
    failures.drop("clear");
    setState("items", (items) => items.filter((todo) => !todo.completed));
    try {
      await sync.inOrder(async () => {
        await api.todos.clearCompleted();
        // The server cleared what it had completed, which may not be exactly what this tab showed.
        await resync(madeAt, new Map());
      });
      succeeded();
    } catch (error) {
      failed(error, {
        what: "Couldn't clear completed todos",
        rollback: () => setState("items", (items) => [...items, ...removed].sort(byPosition)),
        retry: { change: { key: "clear", label: "clear completed" }, send: () => clearCompleted() },
      });
    }
  }

  /** After a bulk change, in its turn: the list, with the versions it made. The change itself is
   * done: if the list cannot be read now, take the versions it most likely made (a wrong guess
   * means a later change is refused as changed elsewhere, and the todo reloaded, not lost). */
  async function resync(since: number, expected: Map<string, number>) {
    let loaded: Todo[];
    try {
      loaded = await api.todos.list();
    } catch {
      for (const [id, version] of expected) sync.see({ id, version });
      return;
    }
    merge(loaded, since, expected);
  }

  return {
    state,
    load,
    /** Adds a todo; "refused" when the server refused it (the text goes back to the input). */
    add: async (title: string) => (await addTodo(title)).outcome,
    setCompleted,
    rename,
    remove,
    /** Completes every todo, or makes them all active again when all are completed. */
    toggleAll: () => setAll(state.items.some((todo) => !todo.completed)),
    clearCompleted,
    /** The notice, the banner and the changes waiting for its Retry. */
    failures: failures.state,
    retry: failures.retry,
    dismissNotice: failures.dismissNotice,
    idOf,
    /** New todos' titles not on the server yet (on their way, or waiting for Retry). */
    unsavedTitles: () => [
      ...failures.newTodoTitles(),
      ...state.items.filter((todo) => todo.saving).map((todo) => todo.title),
    ],
    /** The latest title edit not on the server yet (on its way, or waiting for Retry). */
    unsavedEdit: (): { id: string; title: string } | undefined => {
      const [item, title] = [...renaming].at(-1) ?? [];
      return item && title !== undefined ? { id: item.id, title } : failures.lastEdit();
    },
    /** Forgets every todo (signing out, session ended). */
    clear: () => setState(produce((s) => void s.items.splice(0))),
  };
}

export type TodosStore = ReturnType<typeof createTodosStore>;
