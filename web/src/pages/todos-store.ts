// The Todos page's data: the user's todos loaded through the API client, changed optimistically
// (the list changes at once, the server is told after, and a refusal rolls the change back with a
// message naming what was not saved). Changes reach the server one at a time, in the order the
// user made them, so a quick check-uncheck cannot arrive reversed.
import { batch } from "solid-js";
import { createStore, produce, reconcile, unwrap } from "solid-js/store";
import { ApiError, userMessage } from "../lib/api-error.ts";
import type { ApiClient, Todo } from "../lib/api.ts";

export interface TodoItem extends Todo {
  /** Added here, not yet confirmed by the server. */
  saving?: boolean;
}

export type Filter = "all" | "active" | "completed";

interface TodosState {
  items: TodoItem[];
  phase: "loading" | "ready" | "error";
  loadError: string | undefined;
  /** The last change the server refused, worded for a person. */
  notice: string | undefined;
  /** The last failure was the server being unreachable (after retries): show the retry banner. */
  unreachable: boolean;
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
    notice: undefined,
    unreachable: false,
  });
  /** Ids of todos still being created, resolving to the id the server gave them. */
  const creating = new Map<string, Promise<string>>();
  let pendingSeq = 0;
  let loading: Promise<void> | undefined;
  /** Ids changed here while a load was on its way: the local version wins over the loaded one. */
  const changedDuringLoad = new Set<string>();
  const touch = (...ids: string[]) => {
    if (loading) for (const id of ids) changedDuringLoad.add(id);
  };

  const indexOf = (item: TodoItem) => state.items.indexOf(item);
  const find = (id: string) => state.items.find((todo) => todo.id === id);
  /** The server's id for `item`, waiting for its creation if it is still on its way. Read when the
   * request is sent: by then an item added earlier may have its server id already. */
  const serverId = async (item: TodoItem) => (await creating.get(item.id)) ?? item.id;
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `send` after every change sent before it has been answered. */
  function inOrder<T>(send: () => Promise<T>): Promise<T> {
    const result = queue.then(send);
    queue = result.catch(() => {});
    return result;
  }

  function succeeded() {
    if (state.unreachable) setState("unreachable", false);
  }

  function refused(error: unknown, what: string) {
    // An ended session is not this page's to report: the app is already on its way to sign-in.
    if (error instanceof ApiError && error.sessionExpired) return;
    setState({ notice: `${what}: ${userMessage(error)}`, unreachable: error instanceof ApiError && error.unreachable });
  }

  /** Sets `field` of `item` back to `before`, unless a later change has moved it on already. */
  function rollback<K extends "title" | "completed">(item: TodoItem, field: K, expected: TodoItem[K], before: TodoItem[K]) {
    const index = indexOf(item);
    if (index >= 0 && state.items[index]![field] === expected) setState("items", index, field, before);
  }

  /** (Re)loads the list; changes made meanwhile are kept, and items keep their identity. */
  function load(): Promise<void> {
    loading ??= (async () => {
      changedDuringLoad.clear();
      if (state.phase === "error") setState("phase", "loading");
      try {
        const loaded = await api.todos.list();
        const local = new Map(unwrap(state.items).map((todo) => [todo.id, todo]));
        const merged = [
          ...loaded.filter((todo) => !changedDuringLoad.has(todo.id)),
          ...[...changedDuringLoad].flatMap((id) => local.get(id) ?? []),
        ].sort(byPosition);
        setState({ phase: "ready", loadError: undefined });
        setState("items", reconcile(merged, { key: "id", merge: true }));
        succeeded();
      } catch (error) {
        if (error instanceof ApiError && error.sessionExpired) return;
        setState({
          phase: state.phase === "ready" ? "ready" : "error",
          loadError: userMessage(error),
          unreachable: error instanceof ApiError && error.unreachable,
        });
      }
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  /** Adds a todo; resolves false (with a notice) when the server refused it. */
  async function add(title: string): Promise<boolean> {
    const id = `pending-${++pendingSeq}`;
    const now = new Date().toISOString();
    const position = Math.max(0, ...state.items.map((todo) => todo.position)) + 1;
    const optimistic = { id, title, completed: false, position, dueAt: null, createdAt: now, updatedAt: now, saving: true };
    setState("items", state.items.length, optimistic);
    const item = state.items.at(-1)!;
    touch(id);
    const created = inOrder(() => api.todos.create(title));
    const serverIdPromise = created.then((todo) => todo.id);
    serverIdPromise.catch(() => {}); // a failed add is reported below, not as an unhandled rejection
    creating.set(id, serverIdPromise);
    try {
      const todo = await created;
      touch(todo.id);
      // Keep the changes made meanwhile (a toggle, an edit); take the server's id and times.
      const index = indexOf(item);
      const { position: serverPosition, createdAt, updatedAt } = todo;
      if (index >= 0) setState("items", index, { id: todo.id, position: serverPosition, createdAt, updatedAt, saving: false });
      succeeded();
      return true;
    } catch (error) {
      const index = indexOf(item);
      if (index >= 0) setState("items", (items) => items.filter((_, i) => i !== index));
      touch(id);
      refused(error, `Couldn't add "${title}"`);
      return false;
    } finally {
      creating.delete(id);
    }
  }

  async function setCompleted(id: string, completed: boolean) {
    const item = find(id);
    if (!item || item.completed === completed) return;
    const before = item.completed;
    touch(id);
    setState("items", indexOf(item), "completed", completed);
    try {
      await inOrder(async () => api.todos.update(await serverId(item), { completed }));
      succeeded();
    } catch (error) {
      rollback(item, "completed", completed, before);
      refused(error, `Couldn't update "${item.title}"`);
    }
  }

  /** Renames a todo (an empty title deletes it); resolves false when the server refused. */
  async function rename(id: string, rawTitle: string): Promise<boolean> {
    const item = find(id);
    const title = rawTitle.trim();
    if (!item || title === item.title) return true;
    if (!title) return remove(id);
    const before = item.title;
    touch(id);
    setState("items", indexOf(item), "title", title);
    try {
      await inOrder(async () => api.todos.update(await serverId(item), { title }));
      succeeded();
      return true;
    } catch (error) {
      rollback(item, "title", title, before);
      refused(error, `Couldn't rename "${before}"`);
      return false;
    }
  }

  /** Deletes a todo; resolves false when the server refused. */
  async function remove(id: string): Promise<boolean> {
    const item = find(id);
    if (!item) return true;
    const copy: TodoItem = { ...item };
    const pending = creating.get(item.id);
    const index = indexOf(item);
    touch(id);
    // (Setter functions see the raw array, not the proxies `find` returns: compare by index.)
    setState("items", (items) => items.filter((_, i) => i !== index));
    try {
      await inOrder(async () => {
        // Removed while still being added: delete what the server made, or nothing if it made nothing.
        const serverSide = pending ? await pending.catch(() => undefined) : copy.id;
        if (serverSide) await api.todos.remove(serverSide);
      });
      succeeded();
      return true;
    } catch (error) {
      // Already gone (deleted in another tab, or a retried DELETE that had worked): that is success.
      if (error instanceof ApiError && error.status === 404) return true;
      setState("items", (items) => [...items, copy].sort(byPosition));
      refused(error, `Couldn't delete "${copy.title}"`);
      return false;
    }
  }

  /** Completes every todo, or makes them all active again when all are completed. */
  async function toggleAll() {
    const completed = state.items.some((todo) => !todo.completed);
    const changed = state.items.filter((todo) => todo.completed !== completed);
    touch(...changed.map((todo) => todo.id));
    setState("items", (todo) => todo.completed !== completed, "completed", completed);
    try {
      await inOrder(() => api.todos.completeAll(completed));
      succeeded();
    } catch (error) {
      batch(() => changed.forEach((item) => rollback(item, "completed", completed, !completed)));
      refused(error, completed ? "Couldn't complete all todos" : "Couldn't mark all todos active");
    }
  }

  async function clearCompleted() {
    const removed = state.items.filter((todo) => todo.completed).map((todo) => ({ ...todo }));
    if (!removed.length) return;
    touch(...removed.map((todo) => todo.id));
    setState("items", (items) => items.filter((todo) => !todo.completed));
    try {
      await inOrder(() => api.todos.clearCompleted());
      succeeded();
    } catch (error) {
      setState("items", (items) => [...items, ...removed].sort(byPosition));
      refused(error, "Couldn't clear completed todos");
    }
  }

  return {
    state,
    load,
    add,
    setCompleted,
    rename,
    remove,
    toggleAll,
    clearCompleted,
    dismissNotice: () => setState("notice", undefined),
    /** Titles added here that the server has not confirmed yet. */
    unsavedTitles: () => state.items.filter((todo) => todo.saving).map((todo) => todo.title),
    /** Forgets every todo (signing out, session ended). */
    clear: () => setState(produce((s) => void s.items.splice(0))),
  };
}

export type TodosStore = ReturnType<typeof createTodosStore>;
