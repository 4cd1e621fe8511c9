// Better Auth's endpoints as this app serves them: only the ones it uses answer (every other one is
// a 404 and not in the document), and the document says what they really answer: a user's image is
// null, a POST to get-session is refused, a body that is not JSON is a 415, a name change answers
// `{status: true}`, and no request field is offered that can only do harm here.
import { env } from "cloudflare:workers";
import { type Schema, Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, test } from "vitest";
import { BASE, call, freshIp, json, openApiDocument, STRONG_PASSWORD, signUp } from "../../test/client.ts";
import type { DocumentedAnswers } from "../../test/documented-answers.ts";
import { createAuth } from "../auth/better-auth.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document of any shape
type Json = Record<string, any>;

const AUTH_BASE = "/api/auth";

/**
 * What the web app and the tests call, and what a user of this app needs beside: an account, its
 * session and access tokens, a new name or password, signing out one or every device.
 */
const USED = [
  "/sign-up/email",
  "/sign-in/email",
  "/get-session",
  "/token",
  "/jwks",
  "/update-user",
  "/change-password",
  "/revoke-other-sessions",
  "/revoke-sessions",
  "/sign-out",
];

let document: DocumentedAnswers;
beforeAll(async () => {
  document = await openApiDocument();
});

const operation = (path: string, method: string): Json | undefined =>
  document.document.paths[`${AUTH_BASE}${path}`]?.[method];

/** The documented JSON schema of an answer. */
function answerSchema(path: string, method: string, status: number): Json {
  const response = document.resolve(operation(path, method)?.responses?.[status]);
  expect(response, `${method.toUpperCase()} ${path} documents ${status}`).toBeDefined();
  return response?.content?.["application/json"]?.schema;
}

const conforms = (schema: Json, body: unknown) =>
  new Validator({ ...schema, components: document.document.components } as Schema, "2020-12", false).validate(body)
    .valid;

describe("Better Auth's endpoints", () => {
  test("the ones the app does not use answer 404 and are not in the document", async () => {
    const user = await signUp();
    const auth = createAuth(getConfig(env), await createDb(getConfig(env)));
    const endpoints = (Object.values(auth.api) as { path?: string; options?: Json }[]).filter(
      (e) => e.path && !e.options?.metadata?.SERVER_ONLY,
    );
    const unused = endpoints.filter((e) => !USED.includes(e.path as string));
    expect(unused.map((e) => e.path)).toEqual(
      expect.arrayContaining(["/sign-in/social", "/callback/:id", "/request-password-reset", "/change-email"]),
    );
    for (const endpoint of unused) {
      const path = `${AUTH_BASE}${endpoint.path?.replace(/:\w+/g, "google")}`;
      for (const method of [endpoint.options?.method].flat() as string[]) {
        const res = await call(path, {
          method,
          headers: { Cookie: user.cookie, Origin: BASE, ...(method === "POST" ? json({}).headers : {}) },
          body: method === "POST" ? "{}" : undefined,
        });
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
      }
      expect(document.document.paths[`${AUTH_BASE}${endpoint.path?.replace(/:(\w+)/g, "{$1}")}`]).toBeUndefined();
    }
    const documented = Object.keys(document.document.paths)
      .filter((path) => path.startsWith(`${AUTH_BASE}/`))
      .map((path) => path.slice(AUTH_BASE.length));
    expect(documented.sort()).toEqual([...USED].sort());
  });

  test("a user's image is null in the answers, and the document says it may be", async () => {
    const user = await signUp();
    const session = await call(`${AUTH_BASE}/get-session`, { headers: { Cookie: user.cookie } });
    const signIn = await call(`${AUTH_BASE}/sign-in/email`, {
      method: "POST",
      headers: { ...json({}).headers, Origin: BASE, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    for (const [path, method, res] of [
      ["/get-session", "get", session],
      ["/sign-in/email", "post", signIn],
    ] as const) {
      const body = (await res.json()) as { user: { image: unknown } };
      expect(body.user.image).toBeNull();
      expect(conforms(answerSchema(path, method, 200), body), `${path} as documented`).toBe(true);
    }
  });

  test("POST /api/auth/get-session is not in the document: Better Auth refuses it (405)", async () => {
    const user = await signUp();
    expect(operation("/get-session", "post")).toBeUndefined();
    const res = await call(`${AUTH_BASE}/get-session`, {
      method: "POST",
      headers: { ...json({}).headers, Cookie: user.cookie, Origin: BASE },
      body: "{}",
    });
    expect(res.status).toBe(405);
  });

  test("every POST documents 415, and gets it for a body that is not JSON", async () => {
    const user = await signUp();
    const posts = USED.filter((path) => operation(path, "post"));
    expect(posts.length).toBeGreaterThan(5);
    for (const path of posts) {
      expect(operation(path, "post")?.responses?.[415], `${path} documents 415`).toBeDefined();
      expect(operation(path, "post")?.requestBody?.content?.["application/json"], path).toBeDefined();
    }
    const sent = await call(`${AUTH_BASE}/update-user`, {
      method: "POST",
      headers: { "Content-Type": "text/plain", Cookie: user.cookie, Origin: BASE },
      body: JSON.stringify({ name: "Ada" }),
    });
    expect(sent.status).toBe(415);
  });

  test("sign-out needs a JSON body, as the document says: an empty one is 415", async () => {
    const user = await signUp();
    expect(operation("/sign-out", "post")?.requestBody?.required).toBe(true);
    const empty = await call(`${AUTH_BASE}/sign-out`, {
      method: "POST",
      headers: { Cookie: user.cookie, Origin: BASE },
      body: new Uint8Array(0),
    });
    expect(empty.status).toBe(415);
    const signedOut = await call(`${AUTH_BASE}/sign-out`, {
      method: "POST",
      headers: { ...json({}).headers, Cookie: user.cookie, Origin: BASE },
      body: "{}",
    });
    expect(signedOut.status).toBe(200);
  });

  test("a name change answers {status: true}, which is what the document says it answers", async () => {
    const user = await signUp();
    const res = await call(`${AUTH_BASE}/update-user`, {
      method: "POST",
      headers: { ...json({}).headers, Cookie: user.cookie, Origin: BASE },
      body: JSON.stringify({ name: "Ada King" }),
    });
    expect(await res.json()).toEqual({ status: true });
    const schema = answerSchema("/update-user", "post", 200);
    expect(conforms(schema, { status: true })).toBe(true);
    expect(conforms(schema, {}), "an answer without `status` is not what it says").toBe(false);
  });

  test("no request body offers a field that does nothing here (callbackURL, provider logout)", async () => {
    for (const path of USED) {
      const body = JSON.stringify(operation(path, "post")?.requestBody ?? {});
      for (const field of ["callbackURL", "disableRedirect", "revokeOtherSessions"]) {
        expect(body, `${path}: ${field}`).not.toContain(`"${field}"`);
      }
    }
    // Sent anyway, callbackURL is checked against the trusted origins: one from elsewhere is 403.
    const res = await call(`${AUTH_BASE}/sign-up/email`, {
      method: "POST",
      headers: { ...json({}).headers, Origin: BASE, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({
        name: "Ada",
        email: "callback@example.com",
        password: STRONG_PASSWORD,
        callbackURL: "string",
      }),
    });
    expect(res.status).toBe(403);
  });
});
