// One todo: a checkbox named by its title, edit in place (double-click or Edit; Enter or leaving
// the field saves, Esc cancels), and Delete.

import { Show } from "solid-js";
import { TITLE_MAX_LENGTH } from "#contract";
import type { TodoItem } from "./todos-store.ts";

export interface TodoItemProps {
  todo: TodoItem;
  /** The title being typed, while this todo is being edited. */
  editing: string | undefined;
  onToggle(completed: boolean): void;
  onStartEdit(): void;
  onEditInput(title: string): void;
  onCommit(): void;
  onCancel(): void;
  onDelete(): void;
}

export function TodoItemView(props: TodoItemProps) {
  let editButton: HTMLButtonElement | undefined;
  const titleId = () => `todo-title-${props.todo.id}`;
  // Back to the item's Edit button, so keyboard users keep their place.
  const refocus = () => queueMicrotask(() => editButton?.focus());

  return (
    <li class="todo" classList={{ completed: props.todo.completed, saving: props.todo.saving === true }}>
      <Show
        when={props.editing !== undefined}
        fallback={
          <div class="todo-view">
            <input
              type="checkbox"
              checked={props.todo.completed}
              aria-labelledby={titleId()}
              onChange={(event) => props.onToggle(event.currentTarget.checked)}
            />
            {/* biome-ignore lint/a11y/noStaticElementInteractions: double-click to edit is a mouse shortcut (TodoMVC); the Edit button beside it is the keyboard and screen-reader way */}
            <span class="todo-title" id={titleId()} onDblClick={() => props.onStartEdit()}>
              {props.todo.title}
            </span>
            <button
              ref={editButton}
              type="button"
              class="small secondary"
              aria-label={`Edit "${props.todo.title}"`}
              onClick={() => props.onStartEdit()}
            >
              Edit
            </button>
            <button
              type="button"
              class="small danger"
              aria-label={`Delete "${props.todo.title}"`}
              onClick={() => props.onDelete()}
            >
              Delete
            </button>
          </div>
        }
      >
        <input
          class="todo-edit"
          ref={(el) => queueMicrotask(() => el.focus())}
          aria-label={`Edit "${props.todo.title}"`}
          maxLength={TITLE_MAX_LENGTH}
          value={props.editing}
          onInput={(event) => props.onEditInput(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              props.onCommit();
              refocus();
            } else if (event.key === "Escape") {
              event.preventDefault();
              props.onCancel();
              refocus();
            }
          }}
          onBlur={() => {
            if (props.editing !== undefined) props.onCommit();
          }}
        />
      </Show>
    </li>
  );
}
