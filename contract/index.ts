// What the Worker and the web app must agree on: the shapes the API answers with, its limits, the
// password and text rules and the error types. Both sides import it as `#contract` (package.json "imports");
// it has no dependencies, so it costs the web bundle only what a page uses.
export * from "./account.ts";
export * from "./errors.ts";
export * from "./password.ts";
export * from "./text.ts";
export * from "./todos.ts";
