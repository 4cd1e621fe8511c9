// The bench Worker must run the production app under the production runtime settings and bindings,
// or its figures describe some other Worker; and the production config must never point at it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const production = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
const bench = readFileSync(new URL("./wrangler.toml", import.meta.url), "utf8");

/** `key = value` lines outside any comment, as raw text: enough to compare the two configs. */
function setting(toml: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}\\s*=\\s*(.+?)\\s*$`, "m").exec(toml)?.[1];
}

/** The body of a [table] or [[array table]], comments and blank lines dropped. */
function table(toml: string, header: string): string[] {
  const start = toml.indexOf(`${header}\n`);
  if (start === -1) return [];
  const body = toml.slice(start + header.length + 1).split(/^\[/m)[0] ?? "";
  return body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

const keys = (lines: string[]) => lines.map((line) => line.split("=")[0]?.trim());

describe("bench/wrangler.toml", () => {
  it("uses the production compatibility date, flags and bindings", () => {
    for (const key of ["compatibility_date", "compatibility_flags"]) {
      expect(setting(bench, key), key).toBe(setting(production, key));
    }
    for (const header of ["[[durable_objects.bindings]]", "[[migrations]]"]) {
      expect(table(bench, header), header).toEqual(table(production, header));
    }
    expect(keys(table(bench, "[vars]"))).toEqual(keys(table(production, "[vars]")));
    expect(table(bench, "[assets]")).toContain('binding = "ASSETS"');
  });

  it("is the only config that points at the bench entry", () => {
    expect(setting(bench, "main")).toBe('"worker.ts"');
    expect(setting(production, "main")).toBe('"worker/src/index.ts"');
    expect(production).not.toContain("bench/worker.ts");
  });
});
