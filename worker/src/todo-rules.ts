// Rules about todos that the database, the API and the web app share. No imports: the web app
// bundles this file too.

/** Longest title, in characters: the database check, request validation and the input's maxLength. */
export const TITLE_MAX_LENGTH = 500;
