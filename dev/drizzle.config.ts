// drizzle-kit settings: SQL migrations in migrations/ generated from the worker's schema.
// `npm run db:generate` writes a new migration after a schema change; `npm run db:migrate` applies them.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./worker/src/db/schema/index.ts",
  out: "./migrations",
});
