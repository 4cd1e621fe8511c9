// The tooling refuses to start on a secret that cannot decrypt the stored signing key, as the
// Worker could then sign no access token; its message names both fixes. A secret kept decrypting
// through BETTER_AUTH_SECRETS passes.
import { afterAll, beforeAll, expect, it } from "vitest";
import { getConfig } from "../worker/src/config.ts";
import { ensureSigningKey, SigningKeyError } from "./signing-key.ts";
import { type SqlEndpoint, startSqlEndpoint } from "./sql-endpoint/server.ts";

const OLD = "the-secret-the-signing-key-was-made-with-0123456789";
const NEW = "a-different-secret-put-in-its-place-0123456789abcd";

let endpoint: SqlEndpoint;
const config = (vars: { BETTER_AUTH_SECRET: string; BETTER_AUTH_SECRETS?: string }) =>
  getConfig({
    ...vars,
    PUBLIC_BASE_URL: "http://localhost:8787",
    DATABASE_URL: "postgres://edge:edge@localhost:5432/edge_todo",
    NEON_HTTP_ENDPOINT: endpoint.sqlUrl,
  });

beforeAll(async () => {
  endpoint = await startSqlEndpoint({ port: 0, migrationsDir: "migrations" });
});
afterAll(() => endpoint.close());

it("stops on a replaced secret with the cause and both fixes; passes once the old one still decrypts", async () => {
  const kids = await ensureSigningKey(config({ BETTER_AUTH_SECRET: OLD }));
  expect(kids).toHaveLength(1);

  const replaced = ensureSigningKey(config({ BETTER_AUTH_SECRET: NEW }));
  await expect(replaced).rejects.toBeInstanceOf(SigningKeyError);
  await expect(replaced).rejects.toThrow(/BETTER_AUTH_SECRETS="2:<new secret>,1:<old secret>".*keys:rotate -- --now/);

  const rotating = config({ BETTER_AUTH_SECRET: OLD, BETTER_AUTH_SECRETS: `2:${NEW},1:${OLD}` });
  expect(await ensureSigningKey(rotating)).toEqual(kids);
});
