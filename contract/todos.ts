// A todo as the API answers with it, what a change may set, and the limits both sides enforce.

/** Longest title, in characters: the database check, request validation and the input's maxLength. */
export const TITLE_MAX_LENGTH = 500;

/** Most todos one user may have; a create past it is refused (409). */
export const MAX_TODOS_PER_USER = 1000;

/** Most todos one page of `GET /api/todos` holds (`limit`). */
export const MAX_PAGE_SIZE = 100;

export interface Todo {
  id: string;
  title: string;
  completed: boolean;
  /** Lists are ordered by position, then by creation. */
  position: number;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Starts at 1 and goes up with every change. PATCH and DELETE send it back (`If-Match: "<version>"`)
   * so that a change made on an outdated copy is refused (412) instead of overwriting a newer one.
   */
  version: number;
}

/** What `PATCH /api/todos/:id` may set. */
export type TodoPatch = Partial<Pick<Todo, "title" | "completed" | "position" | "dueAt">>;

export interface TodoPage {
  items: Todo[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
