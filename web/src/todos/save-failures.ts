// What becomes of a change the server did not take, and of the text the user typed for it. Refused
// (not valid, over a limit): rolled back with a message, and the text goes back to its field.
// Unreachable through every retry: rolled back, and kept with its text for the banner's Retry,
// which sends it again. Changed in another tab or device meanwhile (412): the todo is shown as it
// is now, and the notice keeps the user's text and offers it back.
import { createStore } from "solid-js/store";
import type { Todo } from "#contract";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { ChangedElsewhere, CreateFailed } from "./todo-sync.ts";

/** How a save ended, for the page: "refused" — give the user's text back to the field it came
 * from; "kept" — the notice or the banner's Retry holds on to it (or the page is going away). */
export type SaveOutcome = "saved" | "kept" | "refused";

export interface Notice {
  text: string;
  /** The title the user typed for a todo changed elsewhere meanwhile, offered back to its editor. */
  edit?: { id: string; title: string } | undefined;
}

/** A change that never reached the server, waiting for the banner's Retry. */
export interface UnsavedChange {
  /** One per todo and kind of change: a newer change of the same kind replaces it. */
  key: string;
  /** What it does, for the banner: `add "Buy milk"`. */
  label: string;
  /** The text the user typed, when it is a new todo or a title. */
  text?: { newTodo: string } | { edit: { id: string; title: string } } | undefined;
}

export interface FailedChange {
  /** `Couldn't rename "Milk"` */
  what: string;
  /** Undoes the optimistic change. */
  rollback: () => void;
  /** How the banner's Retry sends it again, should the server be unreachable. */
  retry?: { change: UnsavedChange; send: () => Promise<unknown> };
  /** The title the user typed, kept in the notice when the todo changed elsewhere. */
  edit?: string;
}

interface SaveFailuresState {
  /** The last change the server did not take, worded for a person. */
  notice: Notice | undefined;
  /** The last failure was the server being unreachable (after retries): show the banner. */
  unreachable: boolean;
  /** Changes waiting for the banner's Retry, oldest first. */
  unsaved: UnsavedChange[];
  /** The banner's Retry is sending them again. */
  retrying: boolean;
}

export function createSaveFailures(todos: {
  /** Shows a todo as the server has it now (undefined: gone). */
  showLatest(id: string, latest: Todo | undefined): void;
  reload(): Promise<void>;
}) {
  const [state, setState] = createStore<SaveFailuresState>({
    notice: undefined,
    unreachable: false,
    unsaved: [],
    retrying: false,
  });
  /** How to send each unsaved change again, by key. */
  const sends = new Map<string, () => Promise<unknown>>();

  /** Reports a change that did not happen, and says what the page should do with the user's text. */
  function failed(error: unknown, change: FailedChange): SaveOutcome {
    // The add this change waited for failed; it reports that, and its Retry sends the todo as it was.
    if (error instanceof CreateFailed) return "kept";
    if (error instanceof ChangedElsewhere) {
      if (error.latest !== "shown") todos.showLatest(error.id, error.latest);
      const exists = error.latest !== undefined && error.error.status === 412;
      const yours = change.edit === undefined ? "" : ` Your text: "${change.edit}".`;
      setState("notice", {
        text: `${change.what}: ${userMessage(error.error)}${yours}`,
        edit: exists && change.edit !== undefined ? { id: error.id, title: change.edit } : undefined,
      });
      return "kept";
    }
    change.rollback();
    // An ended session is not this page's to report: the app is already on its way to sign-in, and
    // the text is in the draft it keeps (newTodoTitles, lastEdit).
    if (error instanceof ApiError && error.sessionExpired) return "kept";
    const unreachable = error instanceof ApiError && error.unreachable;
    if (unreachable && change.retry) keep(change.retry.change, change.retry.send);
    setState({ notice: { text: `${change.what}: ${userMessage(error)}` }, unreachable });
    // Changed elsewhere, but its latest version could not be read: the list will show it.
    if (error instanceof ApiError && error.status === 412) void todos.reload();
    return unreachable && change.retry ? "kept" : "refused";
  }

  function keep(change: UnsavedChange, send: () => Promise<unknown>) {
    sends.set(change.key, send);
    setState("unsaved", (unsaved) => [...unsaved.filter((c) => c.key !== change.key), change]);
  }

  return {
    state,
    failed,
    /** The server answered: it is reachable. */
    succeeded: () => {
      if (state.unreachable) setState("unreachable", false);
    },
    /** Loading the list failed (the page shows why). */
    loadFailed: (error: unknown) => setState("unreachable", error instanceof ApiError && error.unreachable),
    /** The user changed it again (or deleted the todo): the older unsaved change is moot. */
    drop(...keys: string[]): void {
      if (!state.unsaved.some((c) => keys.includes(c.key))) return;
      for (const key of keys) sends.delete(key);
      setState("unsaved", (unsaved) => unsaved.filter((c) => !keys.includes(c.key)));
    },
    /** The banner's Retry: sends the unsaved changes again in the order they were made, then reloads. */
    async retry(): Promise<void> {
      if (state.retrying) return;
      const again = state.unsaved.flatMap((change) => sends.get(change.key) ?? []);
      sends.clear();
      setState({ unsaved: [], retrying: true });
      try {
        // Each change is queued as it is made, so they go out in this order.
        await Promise.all(again.map((send) => send()));
        await todos.reload();
      } finally {
        setState("retrying", false);
      }
    },
    dismissNotice: () => setState("notice", undefined),
    newTodoTitles: (): string[] =>
      state.unsaved.flatMap((c) => (c.text && "newTodo" in c.text ? [c.text.newTodo] : [])),
    lastEdit: (): { id: string; title: string } | undefined =>
      state.unsaved.flatMap((c) => (c.text && "edit" in c.text ? [c.text.edit] : [])).at(-1),
  };
}
