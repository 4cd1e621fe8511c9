// .dev.vars: the Worker's local settings. Created from .dev.vars.example on first run with a fresh
// random BETTER_AUTH_SECRET, so nobody runs with the example's placeholder.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";

const PLACEHOLDER_SECRET = "replace-me-npm-start-generates-one";

/** Ensures .dev.vars exists in `root`; returns true if it was just created. */
export function ensureDevVars(root: string): boolean {
  const path = `${root}/.dev.vars`;
  if (existsSync(path)) return false;
  const example = readFileSync(`${root}/.dev.vars.example`, "utf8");
  const secret = randomBytes(32).toString("base64");
  writeFileSync(path, example.replace(PLACEHOLDER_SECRET, secret), { mode: 0o600 });
  return true;
}

/** The variables .dev.vars sets (comments and blank lines ignored). */
export function readDevVars(root: string): Record<string, string> {
  const vars = parseEnv(readFileSync(`${root}/.dev.vars`, "utf8"));
  if (vars.BETTER_AUTH_SECRET === PLACEHOLDER_SECRET) {
    throw new Error(".dev.vars still has the example BETTER_AUTH_SECRET; set one (openssl rand -base64 32)");
  }
  return vars as Record<string, string>;
}
