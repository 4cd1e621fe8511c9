// /todos: the signed-in user's todos with TodoMVC's behaviours, on the API. The filter lives in
// the URL (?filter=active|completed). What the user typed survives a failed save: it goes back to
// its field, or waits in the banner's Retry or the notice (save-failures.ts), and an expired
// session keeps it through signing in again (draft.ts).
import { useSearchParams } from "@solidjs/router";
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { TITLE_MAX_LENGTH } from "#contract";
import { useSession } from "../lib/auth-client.ts";
import { api, onSessionEvent } from "../lib/session.ts";
import { saveDraft, takeDraft } from "./draft.ts";
import { TodoItemView } from "./todo-item.tsx";
import { createTodosStore, type Filter, matchesFilter, type TodoItem } from "./todos-store.ts";

const FILTERS: { value: Filter; label: string; href: string; empty: string }[] = [
  { value: "all", label: "All", href: "/todos", empty: "" },
  { value: "active", label: "Active", href: "/todos?filter=active", empty: "No active todos. Well done!" },
  { value: "completed", label: "Completed", href: "/todos?filter=completed", empty: "No completed todos yet." },
];

export default function TodosPage() {
  const session = useSession();
  const store = createTodosStore(api);
  const { state } = store;
  const [params] = useSearchParams<{ filter?: string }>();
  const filter = (): Filter => FILTERS.find((f) => f.value === params.filter)?.value ?? "all";
  // RequireSession renders this page only with a session.
  const userId = session().data?.user.id ?? "";
  const draft = takeDraft(userId);
  const [newTitle, setNewTitle] = createSignal(draft?.newTodo ?? "");
  const [editing, setEditing] = createSignal<{ todo: TodoItem; title: string }>();
  const [restoredNotice, setRestoredNotice] = createSignal(Boolean(draft?.newTodo || draft?.editing));
  let newTodoInput: HTMLInputElement | undefined;
  document.title = "Todos · edge-todo";

  onCleanup(
    onSessionEvent((event) => {
      // Keep what the user typed (adds and edits the server never got included), then forget every todo.
      if (event === "expired") {
        const unsaved = newTitle().trim() ? newTitle() : (store.unsavedTitles().at(-1) ?? "");
        const edit = editing();
        saveDraft(userId, {
          newTodo: unsaved,
          editing: edit ? { id: edit.todo.id, title: edit.title } : store.unsavedEdit(),
        });
      }
      setEditing(undefined);
      store.clear();
    }),
  );

  /** Opens the editor of the todo with this id, if it is listed, with `title` in it. */
  const editAgain = (edit: { id: string; title: string } | undefined) => {
    const todo = state.items.find((t) => t.id === edit?.id);
    if (todo && edit) setEditing({ todo, title: edit.title });
  };

  void store.load().then(() => editAgain(draft?.editing));
  const visible = createMemo(() => state.items.filter((todo) => matchesFilter(todo, filter())));
  const left = createMemo(() => state.items.filter((todo) => !todo.completed).length);
  const anyCompleted = () => state.items.some((todo) => todo.completed);
  const allCompleted = () => state.items.length > 0 && left() === 0;

  async function addTodo(event: SubmitEvent) {
    event.preventDefault();
    const title = newTitle().trim();
    setNewTitle("");
    if (!title) return;
    setRestoredNotice(false);
    const outcome = await store.add(title);
    // Refused: give the text back, unless the user has typed something new meanwhile.
    if (outcome.kind === "refused" && !newTitle()) setNewTitle(title);
  }

  function commitEdit() {
    const current = editing();
    setEditing(undefined);
    if (!current) return;
    if (!current.title.trim()) newTodoInput?.focus();
    void store.rename(current.todo, current.title).then((outcome) => {
      // Refused: reopen the editor with what the user typed, unless they are editing again already.
      if (outcome.kind === "refused" && !editing() && store.listed(current.todo)) setEditing(current);
    });
  }

  function deleteTodo(todo: TodoItem) {
    void store.remove(todo);
    newTodoInput?.focus();
  }

  return (
    <section class="todos" aria-labelledby="todos-title">
      <h1 id="todos-title">Todos</h1>

      <Show when={store.failures.unreachable || store.failures.unsaved.length > 0}>
        <div class="banner" role="alert">
          <span>
            {store.failures.unreachable ? "Can't reach the server — " : "Not saved yet: "}
            <Show when={store.failures.unsaved.length > 0}>
              {store.failures.unreachable ? "not saved: " : ""}
              {store.failures.unsaved.map((change) => change.label).join(", ")}.
            </Show>
          </span>
          <button type="button" disabled={store.failures.retrying} onClick={() => void store.retry()}>
            {store.failures.retrying ? "Retrying…" : "Retry"}
          </button>
        </div>
      </Show>
      <Show when={restoredNotice()}>
        <p class="notice" role="status">
          We kept what you were typing when your session expired.
        </p>
      </Show>

      <form class="new-todo" onSubmit={addTodo}>
        <label for="new-todo">New todo</label>
        <div class="row">
          <input
            ref={newTodoInput}
            id="new-todo"
            placeholder="What needs to be done?"
            autocomplete="off"
            maxLength={TITLE_MAX_LENGTH}
            value={newTitle()}
            onInput={(event) => setNewTitle(event.currentTarget.value)}
          />
          <button type="submit" class="primary">
            Add
          </button>
        </div>
      </form>

      <Show when={store.failures.notice}>
        {(notice) => (
          <div class="notice error" role="alert">
            <span>{notice().text}</span>
            <span class="actions">
              <Show when={notice().edit}>
                {(edit) => (
                  <button
                    type="button"
                    class="small"
                    onClick={() => {
                      editAgain(edit());
                      store.dismissNotice();
                    }}
                  >
                    Edit again with my text
                  </button>
                )}
              </Show>
              <button type="button" class="small secondary" onClick={() => store.dismissNotice()}>
                Dismiss
              </button>
            </span>
          </div>
        )}
      </Show>

      <Switch>
        <Match when={state.phase === "loading"}>
          <p class="page-status" role="status">
            Loading your todos…
          </p>
        </Match>
        <Match when={state.phase === "error"}>
          <div class="notice error" role="alert">
            <span>Couldn't load your todos. {state.loadError}</span>
            <button type="button" class="small" onClick={() => void store.load()}>
              Retry
            </button>
          </div>
        </Match>
        <Match when={state.items.length === 0}>
          <p class="empty">Nothing to do yet. Add your first todo above.</p>
        </Match>
        <Match when={true}>
          <div class="toolbar">
            <button type="button" class="secondary" onClick={() => void store.toggleAll()}>
              {allCompleted() ? "Mark all active" : "Complete all"}
            </button>
            <nav aria-label="Filter todos">
              <ul class="filters">
                <For each={FILTERS}>
                  {(f) => (
                    <li>
                      <a href={f.href} aria-current={filter() === f.value ? "page" : undefined}>
                        {f.label}
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </nav>
          </div>
          <ul class="todo-list" aria-label="Todos">
            <For each={visible()}>
              {(todo) => (
                <TodoItemView
                  todo={todo}
                  editing={editing()?.todo === todo ? editing()!.title : undefined}
                  onToggle={(completed) => void store.setCompleted(todo, completed)}
                  onStartEdit={() => setEditing({ todo, title: todo.title })}
                  onEditInput={(title) => setEditing({ todo, title })}
                  onCommit={commitEdit}
                  onCancel={() => setEditing(undefined)}
                  onDelete={() => deleteTodo(todo)}
                />
              )}
            </For>
          </ul>
          <Show when={visible().length === 0}>
            <p class="empty">{FILTERS.find((f) => f.value === filter())?.empty}</p>
          </Show>
          <footer class="todo-footer">
            <p class="count" aria-live="polite">
              {left()} {left() === 1 ? "item" : "items"} left
            </p>
            <Show when={anyCompleted()}>
              <button type="button" class="secondary" onClick={() => void store.clearCompleted()}>
                Clear completed
              </button>
            </Show>
          </footer>
        </Match>
      </Switch>
    </section>
  );
}
