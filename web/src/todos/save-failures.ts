// What becomes of a change the server did not take, and of the text the user typed for it. Refused
// (not valid, over a limit): rolled back with a message, and the text goes back to its field.
// Unreachable through every retry: rolled back, and kept with its text for the banner's Retry,
// which sends it again. Changed in another tab or device meanwhile: the todo is shown as it is now
// (todo-sync.ts), and the notice keeps the user's text and offers it back.
import { createStore } from "solid-js/store";
import { ApiError, userMessage } from "../lib/api-error.ts";
import type { Outcome } from "./todo-sync.ts";

/** A title the user typed for a todo. */
export interface TitleEdit {
  id: string;
  title: string;
}

/** A change that never reached the server, waiting for the banner's Retry. */
export interface UnsavedChange {
  /** One per todo and kind of change: a newer change of the same kind replaces it. */
  key: string;
  /** What it does, for the banner: `add "Buy milk"`. */
  label: string;
  send: () => Promise<unknown>;
  /** The text the user typed: the title of a new todo, or a todo's new title. */
  newTodo?: string;
  edit?: TitleEdit;
}

export interface FailedChange {
  /** `Couldn't rename "Milk"` */
  what: string;
  /** Undoes the optimistic change. */
  rollback: () => void;
  /** How the banner's Retry sends it again, should the server be unreachable; with the title the
   * user typed, which the notice keeps when the todo changed elsewhere. */
  retry: UnsavedChange;
}

interface SaveFailuresState {
  /** The last change the server did not take, worded for a person; with the title the user typed
   * for a todo changed elsewhere meanwhile, offered back to its editor. */
  notice: { text: string; edit?: TitleEdit | undefined } | undefined;
  /** The last failure was the server being unreachable (after retries): show the banner. */
  unreachable: boolean;
  /** Changes waiting for the banner's Retry, oldest first. */
  unsaved: UnsavedChange[];
  /** The banner's Retry is sending them again. */
  retrying: boolean;
}

export function createSaveFailures(todos: {
  /** The todo with this id is in the list. */
  listed(id: string): boolean;
  reload(): Promise<void>;
}) {
  const [state, setState] = createStore<SaveFailuresState>({
    notice: undefined,
    unreachable: false,
    unsaved: [],
    retrying: false,
  });

  /** Reports a change that did not happen, and returns its outcome for the page, which gives a
   * refused change's text back to the field it came from. */
  function settle(outcome: Outcome, change: FailedChange): Outcome {
    const { kind } = outcome;
    if (kind === "saved") setState("unreachable", false);
    // An ended session is not this page's to report: the app is already on its way to sign-in, and
    // the text is in the draft it keeps (newTodoTitles, lastEdit).
    if (kind === "refused" || kind === "unreachable" || kind === "expired") change.rollback();
    if (kind === "unreachable") {
      setState("unsaved", (unsaved) => [...unsaved.filter((c) => c.key !== change.retry.key), change.retry]);
    }
    if (kind === "refused" || kind === "unreachable") {
      setState({
        notice: { text: `${change.what}: ${userMessage(outcome.error)}` },
        unreachable: kind === "unreachable",
      });
      // Changed elsewhere, but its latest version could not be read: the list will show it.
      if (outcome.error instanceof ApiError && outcome.error.status === 412) void todos.reload();
    }
    if (kind === "conflict") {
      const { edit } = change.retry;
      setState("notice", {
        text: `${change.what}: ${userMessage(outcome.error)}${edit ? ` Your text: "${edit.title}".` : ""}`,
        edit: edit && todos.listed(edit.id) ? edit : undefined,
      });
    }
    return outcome;
  }

  return {
    state,
    settle,
    /** The list was read, or not: the banner says whether the server is reachable. */
    loaded(outcome: Outcome): void {
      if (outcome.kind !== "expired") setState("unreachable", outcome.kind === "unreachable");
    },
    /** The user changed it again (or deleted the todo): the older unsaved change is moot. */
    forget(...keys: string[]): void {
      if (state.unsaved.some((c) => keys.includes(c.key)))
        setState("unsaved", (unsaved) => unsaved.filter((c) => !keys.includes(c.key)));
    },
    /** The banner's Retry: sends the unsaved changes again in the order they were made, then reloads. */
    async retry(): Promise<void> {
      if (state.retrying) return;
      const again = state.unsaved.map((change) => change.send);
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
    newTodoTitles: (): string[] => state.unsaved.flatMap((change) => change.newTodo ?? []),
    lastEdit: (): TitleEdit | undefined => state.unsaved.flatMap((change) => change.edit ?? []).at(-1),
  };
}
