// How this tab's changes reach the server: one at a time, in the order the user made them (so a
// quick check-uncheck cannot arrive reversed), every PATCH or DELETE of a todo conditional on the
// version of it this tab last saw (If-Match). When another tab or device changed the todo
// meanwhile, the server refuses (412) instead of letting this tab overwrite their change unseen:
// the todo is shown as it is now, and the changes of it made on the outdated copy are refused
// without being sent. Every change ends in an Outcome.
import type { Todo, TodoPatch } from "#contract";
import type { ApiClient } from "../lib/api.ts";
import { ApiError } from "../lib/api-error.ts";

/** A todo as this tab holds it: `version` is the one it last saw. `saving` while its add is on
 * its way; its id is a local one until the add is answered. */
export interface LocalTodo {
  readonly id: string;
  readonly version: number;
  readonly saving?: boolean | undefined;
}

/** How a change ended. */
export type Outcome =
  /** The server has it. */
  | { kind: "saved" }
  /** Not taken: not valid, over a limit, or a failure nobody planned for. */
  | { kind: "refused"; error: unknown }
  /** No answer through every retry, or the service briefly down. */
  | { kind: "unreachable"; error: ApiError }
  /** The session is over: the app is on its way to sign-in. */
  | { kind: "expired" }
  /** Changed (412) or deleted (404) in another tab or device; the todo is shown as it is now. */
  | { kind: "conflict"; error: ApiError }
  /** Not sent: its todo's add failed, and that add reports it and keeps the todo for Retry. */
  | { kind: "moot" };

/** A change made and not yet answered. */
interface Queued {
  readonly todos: readonly LocalTodo[];
  /** A new title, while it is on its way (what an ending session must not lose). */
  readonly title?: string | undefined;
  /** After this change was made, its todo was found changed or deleted elsewhere. */
  outdated?: "changed" | "gone";
}

const SAVED: Outcome = { kind: "saved" };
const MOOT: Outcome = { kind: "moot" };

/** Every field of `patch` has the value it sets. */
const holds = (todo: Todo, patch: TodoPatch) =>
  Object.entries(patch).every(([field, value]) => todo[field as keyof TodoPatch] === value);

/** The Outcome of a change the server did not take. */
function failed(error: unknown): Outcome {
  if (!(error instanceof ApiError)) return { kind: "refused", error };
  if (error.sessionExpired) return { kind: "expired" };
  return error.unreachable ? { kind: "unreachable", error } : { kind: "refused", error };
}

/**
 * `list` is the page's list of todos: the sync writes what the server says of a todo into it
 * (`update`, also for a todo no longer listed: one deleted while it was being added still learns
 * its server id), and shows a todo as the server has it now after a refusal (`show`; undefined:
 * gone).
 */
export function createTodoSync<T extends LocalTodo>(
  api: ApiClient,
  list: { update(todo: T, fields: Partial<Todo> & { saving?: boolean }): void; show(todo: T, latest?: Todo): void },
) {
  /** The changes made and not yet answered, in the order they were made; the first is on its way. */
  const queue: Queued[] = [];
  let tail: Promise<unknown> = Promise.resolve();

  /**
   * Runs `send` once every change made before it has been answered; a failure becomes its
   * Outcome. `later()` gives the ids of the todos changed after it: their changes are queued
   * behind it, so what it reads of them from the server does not hold them yet.
   */
  function inOrder(
    todos: readonly T[],
    send: (later: () => Set<string>, change: Queued) => Promise<Outcome | undefined>,
    title?: string,
  ): Promise<Outcome> {
    const change: Queued = { todos, title };
    queue.push(change);
    const later = () => new Set(queue.slice(queue.indexOf(change) + 1).flatMap((c) => c.todos.map((todo) => todo.id)));
    const result = tail
      .then(() => send(later, change))
      .then((outcome) => outcome ?? SAVED, failed)
      .finally(() => queue.splice(queue.indexOf(change), 1));
    tail = result;
    return result;
  }

  /** A change made before its todo was found changed elsewhere was made on the outdated copy too:
   * it is refused here, without asking the server (the todo as it is now is shown already). */
  function refusedUnsent(change: Queued): Outcome | undefined {
    if (!change.outdated) return undefined;
    const detail = "Made before the todo was found changed elsewhere";
    const error =
      change.outdated === "gone"
        ? new ApiError({ status: 404, errorType: "not_found", detail })
        : new ApiError({ status: 412, errorType: "precondition_failed", detail });
    return { kind: "conflict", error };
  }

  /** After a 412 or 404: the todo as the server has it now (undefined: gone). Any other error, or
   * failing to read the todo, is thrown on (the 412 itself: the page rolls back and reloads). */
  async function latestAfter(error: unknown, todo: T): Promise<Todo | undefined> {
    if (!(error instanceof ApiError) || (error.status !== 412 && error.status !== 404)) throw error;
    if (error.status === 404) return undefined;
    try {
      return await api.todos.get(todo.id);
    } catch (readError) {
      if (readError instanceof ApiError && readError.status === 404) return undefined;
      throw error;
    }
  }

  /** Shows the todo as it is now, and marks the changes of it queued behind `change` outdated. */
  function changedElsewhere(change: Queued, todo: T, error: unknown, latest: Todo | undefined): Outcome {
    list.show(todo, latest);
    for (const behind of queue.slice(queue.indexOf(change) + 1)) {
      if (behind.todos.some((t) => t.id === todo.id)) behind.outdated = latest ? "changed" : "gone";
    }
    return { kind: "conflict", error: error as ApiError };
  }

  return {
    inOrder,

    /** Sends an add under `idempotencyKey`. The todo takes the server's id, times and version, and
     * keeps the changes made to it meanwhile (a tick, an edit), which are sent after it. */
    create(todo: T, title: string, idempotencyKey: string): Promise<Outcome> {
      return inOrder([todo], async () => {
        const { id, position, createdAt, updatedAt, version } = await api.todos.create(title, idempotencyKey);
        list.update(todo, { id, position, createdAt, updatedAt, version, saving: false });
      });
    },

    /** PATCHes a todo, conditional on the version this tab last saw. */
    patch(todo: T, patch: TodoPatch): Promise<Outcome> {
      return inOrder(
        [todo],
        async (_, change) => {
          if (todo.saving) return MOOT;
          const refused = refusedUnsent(change);
          if (refused) return refused;
          const sent = todo.version;
          let saved: Todo;
          try {
            saved = await api.todos.update(todo.id, patch, sent);
          } catch (error) {
            const latest = await latestAfter(error, todo);
            // A retry of a PATCH that went through but whose answer was lost is refused too (the
            // todo moved on): then the todo is exactly one version on, and holds this patch.
            if (!latest || latest.version !== sent + 1 || !holds(latest, patch)) {
              return changedElsewhere(change, todo, error, latest);
            }
            saved = latest;
          }
          list.update(todo, { version: saved.version, updatedAt: saved.updatedAt });
        },
        patch.title,
      );
    },

    /** DELETEs a todo, conditional on the version this tab last saw. Already gone counts as done. */
    remove(todo: T): Promise<Outcome> {
      return inOrder([todo], async (_, change) => {
        if (todo.saving) return MOOT;
        if (change.outdated === "gone") return;
        const refused = refusedUnsent(change);
        if (refused) return refused;
        try {
          await api.todos.remove(todo.id, todo.version);
        } catch (error) {
          // Gone (deleted elsewhere, or a retried DELETE that had worked): what the user wanted.
          const latest = await latestAfter(error, todo);
          if (latest) return changedElsewhere(change, todo, error, latest);
        }
      });
    },

    /** The latest new title on its way to the server. */
    renaming(): { id: string; title: string } | undefined {
      const change = queue.findLast((c) => c.title !== undefined);
      return change && { id: change.todos[0]!.id, title: change.title! };
    },
  };
}
