// The Todos page's data: the user's todos loaded through the API client, changed optimistically
// (the list changes at once; the server is told after, in order, each change of a todo conditional
// on the version of it this tab saw: todo-sync.ts). A change the server does not take is rolled
// back, or the todo shown as it is now, and the user's text kept (save-failures.ts).
import { batch } from "solid-js";
import { createStore, modifyMutable, produce, reconcile, unwrap } from "solid-js/store";
import type { Todo } from "#contract";
import type { ApiClient } from "../lib/api.ts";
import { userMessage } from "../lib/api-error.ts";
import { createSaveFailures } from "./save-failures.ts";
import { createTodoSync, type Outcome } from "./todo-sync.ts";

export interface TodoItem extends Todo {
  /** Added here, not yet confirmed by the server. */
  saving?: boolean | undefined;
}

export type Filter = "all" | "active" | "completed";

interface TodosState {
  items: TodoItem[];
  phase: "loading" | "ready" | "error";
  loadError: string | undefined;
}

const SAVED: Outcome = { kind: "saved" };

const byPosition = (a: Todo, b: Todo) =>
  a.position - b.position || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export function matchesFilter(todo: Todo, filter: Filter): boolean {
  return filter === "all" || todo.completed === (filter === "completed");
}

/** Writes into a todo through the store, so what shows it updates, whether or not it is listed. */
function update(todo: TodoItem, fields: Partial<TodoItem>): void {
  modifyMutable(
    todo,
    produce((t) => Object.assign(t, fields)),
  );
}

export function createTodosStore(api: ApiClient) {
  const [state, setState] = createStore<TodosState>({ items: [], phase: "loading", loadError: undefined });
  const sync = createTodoSync<TodoItem>(api, { update, show });
  const failures = createSaveFailures({ listed: (id) => state.items.some((todo) => todo.id === id), reload: load });
  const { settle, forget } = failures;
  let pendingSeq = 0;
  let loading: Promise<void> | undefined;

  const listed = (todo: TodoItem) => unwrap(state.items).includes(unwrap(todo));
  const take = (todo: TodoItem) => setState("items", (items) => items.filter((t) => t !== unwrap(todo)));

  /** Puts todos back in the list, in order (a failed delete, a todo changed elsewhere). */
  function putBack(...todos: TodoItem[]) {
    const back = todos.map((todo) => unwrap(todo)).filter((todo) => !listed(todo));
    if (back.length) setState("items", (items) => [...items, ...back].sort(byPosition));
  }

  /** Sets `field` of `todo` back to `before`, unless a later change has moved it on already. */
  function undo<K extends "title" | "completed">(todo: TodoItem, field: K, after: TodoItem[K], before: TodoItem[K]) {
    if (listed(todo) && todo[field] === after) update(todo, { [field]: before });
  }

  /** Shows a todo as the server has it now: updated in place, put back, or (gone) taken away. */
  function show(todo: TodoItem, latest?: Todo) {
    if (!latest) take(todo);
    else {
      update(todo, { ...latest, saving: false });
      putBack(todo);
    }
  }

  /** Shows the server's list, read in turn (sync.inOrder): what it says wins, except for the todos
   * changed here after it was read (`changing`): they keep what the user sees and the version this
   * tab saw, so that a change made elsewhere meanwhile is refused rather than overwritten unseen;
   * `expected` gives the versions a bulk change of this tab's made, which those changes build on.
   * Todos keep their identity. */
  function merge(loaded: readonly Todo[], changing: Set<string>, expected = new Map<string, number>()) {
    const mine = new Map(unwrap(state.items).map((todo) => [todo.id, todo]));
    const merged: TodoItem[] = [];
    for (const todo of loaded) {
      const local = mine.get(todo.id);
      mine.delete(todo.id);
      if (!changing.has(todo.id)) merged.push(todo);
      else if (local) merged.push(expected.get(todo.id) === todo.version ? { ...local, version: todo.version } : local);
      // (Changed here and not listed: deleted here, and its DELETE is on its way.)
    }
    // Not in the list: being added, or changed here (the change will find it gone).
    for (const local of mine.values()) if (changing.has(local.id)) merged.push(local);
    setState("items", reconcile(merged.sort(byPosition), { key: "id", merge: true }));
  }

  /** (Re)loads the list, once the changes made before have been answered; changes made meanwhile
   * are kept. */
  function load(): Promise<void> {
    loading ??= (async () => {
      if (state.phase === "error") setState("phase", "loading");
      const outcome = await sync.inOrder([], async (later) => {
        const loaded = await api.todos.list();
        batch(() => {
          setState({ phase: "ready", loadError: undefined });
          merge(loaded, later());
        });
      });
      failures.loaded(outcome);
      // (An ended session is the app's to handle: it is on its way to sign-in.)
      if (outcome.kind === "refused" || outcome.kind === "unreachable") {
        setState({ phase: state.phase === "ready" ? "ready" : "error", loadError: userMessage(outcome.error) });
      }
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  /** Adds a todo. The banner's Retry sends a failed add again under its Idempotency-Key, so that if
   * the first one did reach the server after all, no second todo is made; and ticks it again. */
  async function add(title: string, idempotencyKey = crypto.randomUUID(), completed = false): Promise<Outcome> {
    const now = new Date().toISOString();
    const position = Math.max(0, ...state.items.map((todo) => todo.position)) + 1;
    setState("items", state.items.length, {
      id: `pending-${++pendingSeq}`,
      title,
      completed: false,
      position,
      dueAt: null,
      createdAt: now,
      updatedAt: now,
      version: 0,
      saving: true,
    });
    const todo = state.items.at(-1)!;
    const outcome = await sync.create(todo, title, idempotencyKey);
    // Deleted while it was being added: nothing the user still wants was lost.
    if (outcome.kind !== "saved" && !listed(todo)) return { kind: "moot" };
    // The todo as the user left it, edits and ticks made meanwhile included.
    const { title: latest, completed: ticked } = todo;
    const settled = settle(outcome, {
      what: `Couldn't add "${latest}"`,
      rollback: () => take(todo),
      retry: {
        key: `add:${todo.id}`,
        label: `add "${latest}"`,
        newTodo: latest,
        send: () => add(latest, latest === title ? idempotencyKey : undefined, ticked),
      },
    });
    return settled.kind === "saved" && completed ? setCompleted(todo, true) : settled;
  }

  async function setCompleted(todo: TodoItem, completed: boolean): Promise<Outcome> {
    if (!listed(todo) || todo.completed === completed) return SAVED;
    const key = `completed:${todo.id}`;
    forget(key);
    update(todo, { completed });
    return settle(await sync.patch(todo, { completed }), {
      what: `Couldn't update "${todo.title}"`,
      rollback: () => undo(todo, "completed", completed, !completed),
      retry: {
        key,
        label: `mark "${todo.title}" ${completed ? "done" : "not done"}`,
        send: () => setCompleted(todo, completed),
      },
    });
  }

  /** Renames a todo (an empty title deletes it). */
  async function rename(todo: TodoItem, rawTitle: string): Promise<Outcome> {
    const title = rawTitle.trim();
    if (!listed(todo) || title === todo.title) return SAVED;
    if (!title) return remove(todo);
    const before = todo.title;
    const key = `title:${todo.id}`;
    forget(key);
    update(todo, { title });
    return settle(await sync.patch(todo, { title }), {
      what: `Couldn't rename "${before}"`,
      rollback: () => undo(todo, "title", title, before),
      retry: {
        key,
        label: `rename "${before}" to "${title}"`,
        edit: { id: todo.id, title },
        send: () => rename(todo, title),
      },
    });
  }

  async function remove(todo: TodoItem): Promise<Outcome> {
    if (!listed(todo)) return SAVED;
    const { title } = todo;
    const key = `remove:${todo.id}`;
    forget(key, `title:${todo.id}`, `completed:${todo.id}`);
    take(todo);
    return settle(await sync.remove(todo), {
      what: `Couldn't delete "${title}"`,
      rollback: () => putBack(todo),
      retry: { key, label: `delete "${title}"`, send: () => remove(todo) },
    });
  }

  /**
   * Completes every todo (or makes them all active again). The server bumps the version of each
   * todo it changes and says only how many: the list is read again in the same turn, so that the
   * changes queued behind this one are sent with the versions it made.
   */
  async function setAll(completed: boolean): Promise<void> {
    const todos = [...state.items];
    const changed = todos.filter((todo) => todo.completed !== completed);
    forget("all");
    setState("items", (todo) => todo.completed !== completed, "completed", completed);
    const outcome = await sync.inOrder(changed, async (later) => {
      const expected = new Map(todos.map((todo) => [todo.id, todo.version + (changed.includes(todo) ? 1 : 0)]));
      await api.todos.completeAll(completed);
      await resync(later, expected, todos);
    });
    settle(outcome, {
      what: completed ? "Couldn't complete all todos" : "Couldn't mark all todos active",
      rollback: () =>
        batch(() => {
          for (const todo of changed) undo(todo, "completed", completed, !completed);
        }),
      retry: { key: "all", label: completed ? "complete all" : "mark all active", send: () => setAll(completed) },
    });
  }

  async function clearCompleted(): Promise<void> {
    const removed = state.items.filter((todo) => todo.completed);
    if (!removed.length) return;
    forget("clear");
    setState("items", (items) => items.filter((todo) => !todo.completed));
    // The server clears what it has completed, which may not be exactly what this tab showed.
    const outcome = await sync.inOrder(removed, async (later) => {
      await api.todos.clearCompleted();
      await resync(later, new Map(), []);
    });
    settle(outcome, {
      what: "Couldn't clear completed todos",
      rollback: () => putBack(...removed),
      retry: { key: "clear", label: "clear completed", send: () => clearCompleted() },
    });
  }

  /** After a bulk change, in its turn: the list, with the versions it made. The change itself is
   * done: if the list cannot be read now, take the versions it most likely made (a wrong guess
   * means a later change is refused as changed elsewhere, and the todo reloaded, not lost). */
  async function resync(later: () => Set<string>, expected: Map<string, number>, todos: TodoItem[]) {
    let loaded: Todo[];
    try {
      loaded = await api.todos.list();
    } catch {
      for (const todo of todos) update(todo, { version: expected.get(todo.id) ?? todo.version });
      return;
    }
    merge(loaded, later(), expected);
  }

  return {
    state,
    load,
    /** Adds a todo; "refused" when the server refused it (the text goes back to the input). */
    add: (title: string) => add(title),
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
    listed,
    /** New todos' titles not on the server yet (on their way, or waiting for Retry). */
    unsavedTitles: () => [
      ...failures.newTodoTitles(),
      ...state.items.filter((todo) => todo.saving).map((todo) => todo.title),
    ],
    /** The latest title edit not on the server yet (on its way, or waiting for Retry). */
    unsavedEdit: () => sync.renaming() ?? failures.lastEdit(),
    /** Forgets every todo (signing out, session ended). */
    clear: () => setState("items", []),
  };
}
