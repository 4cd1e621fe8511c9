// What the user was typing when their session expired, kept in sessionStorage across the detour
// through sign-in and given back to the same user afterwards. Only their text, never a token.

export interface TodoDraft {
  /** Text of the New todo field (or of a todo that was being added when the session ended). */
  newTodo: string;
  /** A todo title being edited. */
  editing?: { id: string; title: string } | undefined;
}

const KEY = "edge-todo:draft";

/** Keeps `draft` for `userId` until they are back (a no-op when there is nothing to keep). */
export function saveDraft(userId: string, draft: TodoDraft): void {
  if (!draft.newTodo.trim() && !draft.editing) return;
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ userId, ...draft }));
  } catch {
    // Storage full or disabled: nothing better to do than lose the draft.
  }
}

/** The draft saved for `userId`, removed from storage; a draft of another user is discarded. */
export function takeDraft(userId: string): TodoDraft | undefined {
  let raw: string | null;
  try {
    raw = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const saved = JSON.parse(raw) as Partial<TodoDraft> & { userId?: unknown };
    if (saved.userId !== userId || typeof saved.newTodo !== "string") return undefined;
    return { newTodo: saved.newTodo, editing: saved.editing };
  } catch {
    return undefined;
  }
}

/** Signing out on purpose: nothing is kept. */
export function discardDraft(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
