// The endpoint applies drizzle-kit migrations with drizzle's own migrator and keeps PGlite data on disk.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { neon, neonConfig } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { startSqlEndpoint } from "./server.ts";

const sql = neon("postgres://user:pw@localhost/db");

describe("migrations and persistence on PGlite", () => {
  it("applies drizzle-kit migrations once, with drizzle's bookkeeping, and keeps data across restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sql-endpoint-"));
    const migrationsDir = join(dir, "migrations");
    const dataDir = join(dir, "pglite");
    const migration =
      'CREATE TABLE "notes" ("id" serial PRIMARY KEY NOT NULL, "body" text NOT NULL);\n--> statement-breakpoint\n' +
      'CREATE INDEX "notes_body_idx" ON "notes" USING btree ("body");';
    await mkdir(join(migrationsDir, "meta"), { recursive: true });
    await writeFile(join(migrationsDir, "0000_init.sql"), migration);
    await writeFile(
      join(migrationsDir, "meta", "_journal.json"),
      JSON.stringify({
        version: "7",
        dialect: "postgresql",
        entries: [{ idx: 0, version: "7", when: 1760000000000, tag: "0000_init", breakpoints: true }],
      }),
    );

    try {
      const first = await startSqlEndpoint({ dataDir, migrationsDir });
      neonConfig.fetchEndpoint = first.sqlUrl;
      await sql`INSERT INTO notes (body) VALUES ('kept')`;
      await first.close();

      const second = await startSqlEndpoint({ dataDir, migrationsDir });
      neonConfig.fetchEndpoint = second.sqlUrl;
      try {
        expect(await sql`SELECT body FROM notes`).toEqual([{ body: "kept" }]);
        expect(await sql`SELECT hash, created_at FROM drizzle.__drizzle_migrations`).toEqual([
          { hash: createHash("sha256").update(migration).digest("hex"), created_at: "1760000000000" },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
