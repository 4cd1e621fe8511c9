// How this tab's changes reach the server: one at a time, in the order the user made them (so a
// quick check-uncheck cannot arrive reversed), and every PATCH or DELETE of a todo conditional on
// the version of it this tab last saw (If-Match). When another tab or device changed the todo
// meanwhile, the server refuses (412) instead of letting this tab overwrite their change silently;
// the change then fails with ChangedElsewhere, carrying the todo as it is now.

import type { Todo, TodoPatch } from "#contract";
import type { ApiClient } from "../lib/api.ts";
import { ApiError } from "../lib/api-error.ts";

/** A todo as this tab knows it: by its id here, a local one until its create has been answered. */
export interface LocalTodo {
  readonly id: string;
}

/** The create a change waited for failed: there is nothing on the server to change. */
export class CreateFailed extends Error {
  override name = "CreateFailed";
}

/** The todo changed elsewhere since this tab last saw it (or was deleted), so the change was not made. */
export class ChangedElsewhere extends Error {
  override name = "ChangedElsewhere";
  constructor(
    /** The server's todo id. */
    readonly id: string,
    /** The refusal: 412, or 404 when the todo is gone. */
    readonly error: ApiError,
    /** The todo as it is now; undefined when it is gone; "shown" when an earlier change to it was
     * refused already and brought its latest version (this change was made before that). */
    readonly latest: Todo | undefined | "shown",
  ) {
    super(error.detail);
  }
}

const preconditionFailed = (detail: string) => new ApiError({ status: 412, errorType: "precondition_failed", detail });
const notFound = (detail: string) => new ApiError({ status: 404, errorType: "not_found", detail });

/** Every field of `patch` has the value it sets. */
const holds = (todo: Todo, patch: TodoPatch) =>
  Object.entries(patch).every(([field, value]) => todo[field as keyof TodoPatch] === value);

export function createTodoSync(api: ApiClient) {
  let queue: Promise<unknown> = Promise.resolve();
  /** A counter that orders the changes made here and the conflicts found out about. */
  let clock = 0;
  /** The version of each todo (by server id) this tab last saw together with its content. */
  const versions = new Map<string, number>();
  /** When each todo was last changed here, by local and (once created) server id. */
  const changedAt = new Map<string, number>();
  /** When each todo was last found changed elsewhere (and whether it was gone by then). */
  const conflicts = new Map<string, { at: number; gone: boolean }>();
  /** Creates by local id, never forgotten: a change queued for a todo removed meanwhile still
   * needs its server id (a few bytes per todo added in this page's lifetime). */
  const creates = new Map<string, Promise<Todo>>();

  /** Runs `send` after every change sent before it has been answered. */
  function inOrder<T>(send: () => Promise<T>): Promise<T> {
    const result = queue.then(send);
    queue = result.catch(() => {});
    return result;
  }

  /** Notes the version of a todo whose content this tab now has; versions only move forward. */
  function see(todo: Pick<Todo, "id" | "version">): void {
    if (todo.version > (versions.get(todo.id) ?? 0)) versions.set(todo.id, todo.version);
  }

  /** Marks these todos as changed here now; returns the time of the change. */
  function change(...ids: string[]): number {
    const at = ++clock;
    for (const id of ids) changedAt.set(id, at);
    return at;
  }

  /** The server's id of `todo`, read when its change is sent: by then the create of a todo added
   * just before has been answered, or has failed (CreateFailed). */
  async function serverId(todo: LocalTodo): Promise<string> {
    const create = creates.get(todo.id);
    if (!create) return todo.id;
    try {
      return (await create).id;
    } catch {
      throw new CreateFailed(`The todo ${todo.id} was never created`);
    }
  }

  /** A change made before its todo was found changed elsewhere was made on the outdated copy too:
   * it is refused here, without asking the server (whose version this tab now has). */
  function refuseIfOutdated(id: string, madeAt: number): void {
    const conflict = conflicts.get(id);
    if (!conflict || conflict.at < madeAt) return;
    const why = "Made before the todo was found changed elsewhere";
    throw new ChangedElsewhere(id, conflict.gone ? notFound(why) : preconditionFailed(why), "shown");
  }

  /** After a 412 or 404: the todo as the server has it now (undefined: gone). Any other error, or
   * failing to read the todo, is thrown on (the 412 itself: the caller rolls back and reloads). */
  async function latestAfter(error: unknown, id: string): Promise<Todo | undefined> {
    if (!(error instanceof ApiError) || (error.status !== 412 && error.status !== 404)) throw error;
    if (error.status === 404) return undefined;
    try {
      return await api.todos.get(id);
    } catch (readError) {
      if (readError instanceof ApiError && readError.status === 404) return undefined;
      throw error;
    }
  }

  const changedSince = (id: string, at: number) => (changedAt.get(id) ?? 0) > at;
  const versionOf = (id: string) => versions.get(id) ?? 0;

  function changedElsewhere(id: string, error: ApiError, latest: Todo | undefined): ChangedElsewhere {
    if (latest) see(latest);
    else versions.delete(id);
    conflicts.set(id, { at: ++clock, gone: !latest });
    return new ChangedElsewhere(id, error, latest);
  }

  return {
    inOrder,
    see,
    change,
    /** The version of a todo this tab last saw (0: none). */
    versionOf,
    /** The time now, for `merge`'s `since`. */
    now: () => clock,

    /**
     * What to show after reading the server's list at `since`: its todos, except where this tab
     * knows more. A todo changed here since keeps what the user sees (the change is on its way) and
     * the version this tab saw, so that if it changed elsewhere too, the change is refused rather
     * than applied unseen on top; `expected` lifts that for todos at exactly the version a bulk
     * change of this tab's made. A todo this tab has a newer version of keeps it too (the list was
     * read before a change of ours landed).
     */
    merge<T extends Todo>(
      local: readonly T[],
      loaded: readonly Todo[],
      since: number,
      expected?: ReadonlyMap<string, number>,
    ): (T | Todo)[] {
      const mineById = new Map(local.map((todo) => [todo.id, todo]));
      const merged: (T | Todo)[] = [];
      for (const todo of loaded) {
        const mine = mineById.get(todo.id);
        mineById.delete(todo.id);
        if (mine ? changedSince(todo.id, since) : changedSince(todo.id, expected ? since : 0)) {
          // Not here at all: deleted here (its DELETE may not have landed when the list was read;
          // a bulk change reading the list in its turn knows that its deletes have).
          if (!mine) continue;
          if (expected?.get(todo.id) === todo.version) see(todo);
          merged.push(mine);
        } else if (mine && versionOf(todo.id) > todo.version) {
          merged.push(mine);
        } else {
          see(todo);
          merged.push(todo);
        }
      }
      // Not in the list: still being added, or changed here since (the change will find it gone).
      for (const mine of mineById.values()) if (creates.has(mine.id) || changedSince(mine.id, since)) merged.push(mine);
      return merged;
    },

    /** Sends a create in turn. `created` runs before the next change is sent, so it can give the
     * todo its server id (which that change then uses). */
    create(localId: string, title: string, idempotencyKey: string, created: (todo: Todo) => void): Promise<Todo> {
      const result = inOrder(async () => {
        const todo = await api.todos.create(title, idempotencyKey);
        see(todo);
        const at = changedAt.get(localId);
        if (at !== undefined) changedAt.set(todo.id, at);
        created(todo);
        return todo;
      });
      creates.set(localId, result);
      result.catch(() => {}); // the caller reports a failed create; the map's copy is not another
      return result;
    },

    /** PATCHes `todo` in turn, conditional on the version last seen; resolves with the server's todo. */
    patch(todo: LocalTodo, patch: TodoPatch, madeAt: number): Promise<Todo> {
      return inOrder(async () => {
        const id = await serverId(todo);
        refuseIfOutdated(id, madeAt);
        const sent = versions.get(id);
        try {
          const saved = await api.todos.update(id, patch, sent);
          see(saved);
          return saved;
        } catch (error) {
          const latest = await latestAfter(error, id);
          // A retry of a PATCH that went through but whose answer was lost is refused too (the todo
          // moved on): then the todo is exactly one version on, and holds this patch.
          if (latest && sent !== undefined && latest.version === sent + 1 && holds(latest, patch)) {
            see(latest);
            return latest;
          }
          throw changedElsewhere(id, error as ApiError, latest);
        }
      });
    },

    /** DELETEs `todo` in turn, conditional on the version last seen. Already gone counts as done. */
    remove(todo: LocalTodo, madeAt: number): Promise<void> {
      return inOrder(async () => {
        let id: string;
        try {
          id = await serverId(todo);
        } catch (error) {
          if (error instanceof CreateFailed) return; // never made: nothing to delete
          throw error;
        }
        if (conflicts.get(id)?.gone) return;
        refuseIfOutdated(id, madeAt);
        try {
          await api.todos.remove(id, versions.get(id));
        } catch (error) {
          // Gone (deleted elsewhere, or a retried DELETE that had worked): what the user wanted.
          const latest = await latestAfter(error, id);
          if (latest) throw changedElsewhere(id, error as ApiError, latest);
        }
        versions.delete(id);
      });
    },
  };
}

export type TodoSync = ReturnType<typeof createTodoSync>;
