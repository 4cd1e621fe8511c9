// Prints the API's OpenAPI 3.1 document (worker/src/openapi/document.ts) as JSON. `npm run
// build:web` runs it and ships the result as web/dist/api-docs/openapi.json, which the Worker serves
// at /api/openapi.json; `node dev/openapi.ts > openapi.json` gives it to API client generators. The
// app's module graph (worker/src/app.ts, without the Worker's entry and its Durable Object, which
// only workerd can load) runs in Node as it is.

// Imported by path, not by name: the Worker's types (Env) are not this project's.
const worker = (path: string) => import(new URL(`../worker/src/${path}`, import.meta.url).href);
const { buildEagerApp } = await worker("app.ts");
const { getConfig } = await worker("config.ts");
const { createDb } = await worker("db/client.ts");
const { openApiDocument } = await worker("openapi/document.ts");

// Any valid settings: the document depends on the code, not on their values. Never connects.
const config = getConfig({
  PUBLIC_BASE_URL: "http://localhost:8787",
  BETTER_AUTH_SECRET: `${crypto.randomUUID()}${crypto.randomUUID()}`,
  DATABASE_URL: "postgres://localhost/edge_todo",
});
const document = await openApiDocument(await buildEagerApp(), config, await createDb(config));
process.stdout.write(`${JSON.stringify(document)}\n`);
