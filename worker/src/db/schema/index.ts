// The whole schema, as drizzle and Better Auth's drizzle adapter see it.
export * from "./auth.ts";
export * from "./todos.ts";
