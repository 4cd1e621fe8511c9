// The drizzle schema of Better Auth's tables matches what this Better Auth version (and its jwt
// plugin) expects, so an upgrade that changes the schema fails here rather than on a request.
import { env } from "cloudflare:workers";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth/minimal";
import { jwt } from "better-auth/plugins/jwt";
import { pgTable, text } from "drizzle-orm/pg-core";
import { expect, test } from "vitest";
import { createAuth } from "../../auth/better-auth.ts";
import { getConfig } from "../../config.ts";
import { createDb } from "../client.ts";
import * as schema from "./index.ts";

test("Better Auth's own schema check passes on our drizzle schema", async () => {
  const config = getConfig(env);
  const context = await createAuth(config, await createDb(config)).$context;
  expect(context.explicitSchemaCheck).toBeTypeOf("function");
  await expect(Promise.resolve(context.explicitSchemaCheck?.())).resolves.toBeUndefined();
});

test("the same check catches a table that drifted", async () => {
  const config = getConfig(env);
  const drifted = { ...schema, jwks: pgTable("jwks", { id: text("id").primaryKey(), publicKey: text("public_key") }) };
  const auth = betterAuth({
    secret: config.betterAuthSecret,
    baseURL: config.publicBaseUrl,
    database: drizzleAdapter(await createDb(config), { provider: "pg", schema: drifted }),
    emailAndPassword: { enabled: true },
    plugins: [jwt()],
    telemetry: { enabled: false },
  });
  const context = await auth.$context;
  await expect(Promise.resolve(context.explicitSchemaCheck?.())).rejects.toThrow(/jwks/);
});
