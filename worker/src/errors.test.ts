// Bad requests get clear errors in the one JSON shape: malformed or non-JSON bodies, oversized
// bodies, unknown routes, and a misconfigured Worker.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, test } from "vitest";
import { bearer, call, callWith, errorBody, signedInUser } from "../test/client.ts";

let token: string;

beforeAll(async () => {
  token = (await signedInUser()).token;
});

describe("request bodies", () => {
  test("malformed JSON is 400", async () => {
    const res = await call("/api/todos", {
      method: "POST",
      headers: bearer(token, { "Content-Type": "application/json" }),
      body: '{"title": "unterminated',
    });
    expect(res.status).toBe(400);
    expect(await errorBody(res)).toMatchObject({ status_code: 400, error_type: "validation_error" });
  });

  test("a body that is not JSON is 400", async () => {
    const res = await call("/api/todos", {
      method: "POST",
      headers: bearer(token, { "Content-Type": "text/plain" }),
      body: "title=hello",
    });
    expect(res.status).toBe(400);
    expect((await errorBody(res)).detail).toContain("application/json");
  });

  test("a body over 64 KiB is 413, on the API and on auth routes", async () => {
    const big = JSON.stringify({ title: "x".repeat(70 * 1024) });
    const api = await call("/api/todos", {
      method: "POST",
      headers: bearer(token, { "Content-Type": "application/json" }),
      body: big,
    });
    expect(api.status).toBe(413);
    expect(await errorBody(api)).toMatchObject({ status_code: 413, error_type: "payload_too_large" });
    const auth = await call("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", "cf-connecting-ip": "203.0.113.99" },
      body: big,
    });
    expect(auth.status).toBe(413);
  });
});

describe("unknown routes", () => {
  test("are JSON 404s, with or without a token", async () => {
    const res = await call("/api/nothing-here", { headers: bearer(token) });
    expect(res.status).toBe(404);
    expect(await errorBody(res)).toMatchObject({ status_code: 404, error_type: "not_found" });
    expect((await call("/api/nothing-here")).status).toBe(401);
  });

  test("under /api/auth are JSON 404s too, for any method", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await call(`/api/auth/${method === "GET" ? "no-such-endpoint" : "sign-out"}`, { method });
      expect(res.status, method).toBe(404);
      expect(await errorBody(res)).toMatchObject({ status_code: 404, error_type: "not_found" });
    }
  });
});

describe("every response carries a request id", () => {
  test("X-Request-Id is set, on success and on error", async () => {
    expect((await call("/api/health")).headers.get("X-Request-Id")).toMatch(/.+/);
    expect((await call("/api/todos")).headers.get("X-Request-Id")).toMatch(/.+/);
  });

  test("Better Auth's answers carry it too, whatever their Origin", async () => {
    for (const path of ["/api/auth/jwks", "/api/auth/get-session", "/api/auth/token", "/api/auth/no-such-endpoint"]) {
      for (const headers of [{}, { Origin: "https://evil.example" }] as Record<string, string>[]) {
        const res = await call(path, { headers });
        expect(res.headers.get("X-Request-Id"), `${path} ${res.status} ${JSON.stringify(headers)}`).toMatch(/.+/);
      }
    }
  });
});

describe("configuration", () => {
  test("a misconfigured Worker answers 500 without internals and logs which variable is wrong", async () => {
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      const res = await callWith(
        { ...env, BETTER_AUTH_SECRET: "too-short" },
        new Request("http://localhost:8787/api/health"),
      );
      expect(res.status).toBe(500);
      const body = await errorBody(res);
      expect(body).toEqual({
        detail: "The server is misconfigured; see the Worker logs",
        status_code: 500,
        error_type: "internal_error",
      });
    } finally {
      console.error = original;
    }
    expect(logged.join("\n")).toContain("BETTER_AUTH_SECRET must be at least 32 characters");
    expect(logged.join("\n")).not.toContain("too-short");
  });
});
