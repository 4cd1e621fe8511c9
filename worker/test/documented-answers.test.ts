// The check every Worker test's answers pass through (documented-answers.ts), against the real
// document: it finds an undocumented status, a body or a header that differs from the document, an
// answer to an unknown path that is not an error, and lets the true answers through.
import { beforeAll, describe, expect, test } from "vitest";
import { BASE, openApiDocument } from "./client.ts";
import type { DocumentedAnswers } from "./documented-answers.ts";

let document: DocumentedAnswers;
beforeAll(async () => {
  document = await openApiDocument();
});

const API_HEADERS = { "X-Request-Id": "req-1", Vary: "Origin" };
const ME = { id: "u1", email: "ada@example.com", name: "Ada" };
const TODO = {
  id: "0b6f3d4e-8c1a-4f2b-9d7e-5a3c2b1f0e9d",
  title: "Buy milk",
  completed: false,
  position: 1,
  dueAt: null,
  createdAt: "2030-01-01T09:00:00.000Z",
  updatedAt: "2030-01-01T09:00:00.000Z",
  version: 1,
};
const NOT_FOUND = { detail: "No route for GET /api/nothing", status_code: 404, error_type: "not_found" };

const problems = (method: string, path: string, response: Response, headers: Record<string, string> = {}) =>
  document.problems(new Request(new URL(path, BASE), { method, headers }), response);

const answer = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { ...API_HEADERS, ...headers } });

describe("an answer to a documented operation", () => {
  test("passes when its status, body and headers are the documented ones", async () => {
    expect(await problems("GET", "/api/me", answer(ME))).toEqual([]);
    expect(await problems("GET", `/api/todos/${TODO.id}`, answer(TODO, 200, { ETag: '"1"' }))).toEqual([]);
    const deleted = new Response(null, { status: 204, headers: API_HEADERS });
    expect(await problems("DELETE", `/api/todos/${TODO.id}`, deleted)).toEqual([]);
  });

  test("fails with a status the operation does not document", async () => {
    expect(await problems("GET", "/api/me", answer(ME, 418))).toEqual([
      expect.stringContaining("418 is not documented"),
    ]);
  });

  test("fails with a body that is not the documented one: a field missing, one too many, another type", async () => {
    const { name: _, ...nameless } = ME;
    for (const body of [nameless, { ...ME, token: "a session token" }, { ...ME, id: 1 }]) {
      expect(await problems("GET", "/api/me", answer(body)), JSON.stringify(body)).toEqual([
        expect.stringContaining("does not match the documented schema"),
      ]);
    }
    const text = new Response("ok", { headers: { ...API_HEADERS, "Content-Type": "text/plain" } });
    expect(await problems("GET", "/api/me", text)).toEqual([expect.stringContaining('Content-Type "text/plain"')]);
  });

  test("fails without a header the answer requires, or with one that does not match", async () => {
    expect(await problems("GET", `/api/todos/${TODO.id}`, answer(TODO))).toEqual([
      expect.stringContaining("no ETag header"),
    ]);
    expect(await problems("GET", `/api/todos/${TODO.id}`, answer(TODO, 200, { ETag: "W/1" }))).toEqual([
      expect.stringContaining("ETag"),
    ]);
    const token = Response.json({ token: "a.b.c" }, { headers: API_HEADERS });
    expect(await problems("GET", "/api/auth/token", token)).toEqual([expect.stringContaining("no Cache-Control")]);
    const bare = Response.json(ME);
    expect(await problems("GET", "/api/me", bare)).toEqual([
      "does not vary by Origin",
      expect.stringContaining("no X-Request-Id header"),
    ]);
  });

  test("is matched to the literal path before a templated one", async () => {
    const completed = answer({ updated: 2 });
    expect(await problems("POST", "/api/todos/complete-all", completed)).toEqual([]);
  });
});

describe("an answer to a request that matches no operation", () => {
  test("passes as an error in the API's shape: 404, or 401 behind the access-token check", async () => {
    expect(await problems("GET", "/api/nothing", answer(NOT_FOUND, 404))).toEqual([]);
    const unauthorized = {
      detail: "Missing Authorization header",
      status_code: 401,
      error_type: "authentication_error",
    };
    expect(await problems("GET", "/api/nothing", answer(unauthorized, 401))).toEqual([]);
    const preflight = new Response(null, { status: 204, headers: API_HEADERS });
    expect(await problems("OPTIONS", "/api/todos", preflight, { "Access-Control-Request-Method": "POST" })).toEqual([]);
  });

  test("fails as a success, as a 401 where no access token is asked for, or in another shape", async () => {
    expect(await problems("GET", "/api/nothing", answer({ ok: true }))).toEqual([
      expect.stringContaining("yet answered 200"),
    ]);
    const unauthorized = { detail: "Unauthorized", status_code: 401, error_type: "authentication_error" };
    expect(await problems("GET", "/api/auth/callback/google", answer(unauthorized, 401))).toEqual([
      expect.stringContaining("yet answered 401"),
    ]);
    expect(await problems("GET", "/api/nothing", answer({ message: "Not Found" }, 404))).toEqual([
      expect.stringContaining("does not match the documented schema"),
    ]);
    const html = new Response("<h1>Error</h1>", {
      status: 404,
      headers: { ...API_HEADERS, "Content-Type": "text/html" },
    });
    expect(await problems("GET", "/api/auth/error", html)).toEqual([expect.stringContaining("text/html")]);
  });
});
