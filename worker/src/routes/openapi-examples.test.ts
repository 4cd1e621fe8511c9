// The examples of /api/openapi.json are real. Swagger UI's "Try it out" on every operation, run the
// way it runs for a reader of /api/docs (parameters and body filled in from the document's own
// examples, the browser's cookies sent, the access token pasted into Authorize, ids taken from
// earlier answers as the page tells the reader to), in a reader's order, gets its documented
// success. And every error example is an answer the API gives, to a request that causes it.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { MAX_TODOS_PER_USER } from "#contract";
import {
  apiCall,
  BASE,
  bearer,
  call,
  callWith,
  freshIp,
  openApiDocument,
  signedInUser,
  sqlEndpoint,
} from "../../test/client.ts";
import { type DocumentedAnswers, operationsOf } from "../../test/documented-answers.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { todos, user } from "../db/schema/index.ts";

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document of any shape
type Json = Record<string, any>;

/**
 * A reader's way through the reference: an account first, the todo API with its token, the
 * session-ending operations last. Every operation of the document is here (checked below).
 */
const READER_ORDER = [
  "post /api/auth/sign-up/email",
  "post /api/auth/sign-in/email",
  "get /api/auth/get-session",
  "post /api/auth/update-user",
  "get /api/auth/token",
  "get /api/auth/jwks",
  "get /api/health",
  "get /api/openapi.json",
  "get /api/docs",
  "get /api/me",
  "get /api/sessions",
  "delete /api/sessions/{id}",
  "post /api/todos",
  "get /api/todos",
  "get /api/todos/{id}",
  "patch /api/todos/{id}",
  "delete /api/todos/{id}",
  "post /api/todos/complete-all",
  "delete /api/todos",
  "post /api/users/{userId}/todos",
  "get /api/users/{userId}/todos",
  "get /api/users/{userId}/todos/{id}",
  "patch /api/users/{userId}/todos/{id}",
  "delete /api/users/{userId}/todos/{id}",
  "post /api/users/{userId}/todos/complete-all",
  "delete /api/users/{userId}/todos",
  "post /api/auth/change-password",
  "post /api/auth/revoke-other-sessions",
  "post /api/auth/revoke-sessions",
  "post /api/auth/sign-out",
];

let document: DocumentedAnswers;
let operations: Map<string, Json>;

beforeAll(async () => {
  document = await openApiDocument();
  operations = new Map(
    operationsOf(document.document).map(({ path, method, operation }) => [`${method} ${path}`, operation]),
  );
  // The examples sign up one fixed account: a database that has it from an earlier run gets it
  // removed, as a fresh deployment would not have it.
  const signUp = operations.get("post /api/auth/sign-up/email");
  const email = signUp?.requestBody?.content?.["application/json"]?.example?.email;
  expect(email).toEqual(expect.any(String));
  await (await createDb(getConfig(env))).delete(user).where(eq(user.email, email));
});

/** The value Swagger UI fills a parameter in with (its ParameterRow), or undefined: left empty. */
function parameterValue(parameter: Json): unknown {
  const schema = document.resolve(parameter.schema) ?? {};
  const examples = Object.values((parameter.examples ?? {}) as Json);
  return examples[0]?.value ?? parameter.example ?? schema.example ?? schema.default;
}

/** The body Swagger UI starts "Try it out" with: the media type's example, else the schema's. */
function bodyExample(media: Json): unknown {
  const examples = Object.values((media.examples ?? {}) as Json);
  const schema = document.resolve(media.schema) ?? {};
  return media.example ?? examples[0]?.value ?? schema.examples?.[0] ?? schema.default ?? schema.example;
}

test("the reader's order runs every operation of the document once", () => {
  expect([...READER_ORDER].sort()).toEqual([...operations.keys()].sort());
});

test("every example in the document, run as Swagger UI runs it, gets its documented success", async () => {
  const ip = freshIp();
  const cookies = new Map<string, string>();
  /** What the reader takes from earlier answers: the {…} of a path, and the token for Authorize. */
  const known: { token?: string; userId?: string; todoId?: string; sessionId?: string } = {};

  for (const key of READER_ORDER) {
    const [method = "", path = ""] = key.split(" ");
    const operation = operations.get(key) as Json;
    const where = `${method.toUpperCase()} ${path}`;

    const url = new URL(
      path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value =
          name === "userId" ? known.userId : path.startsWith("/api/sessions") ? known.sessionId : known.todoId;
        expect(value, `${where}: the reader has a ${name} from an earlier answer`).toBeDefined();
        return encodeURIComponent(value as string);
      }),
      BASE,
    );
    // The browser sends the page's Origin with every request that is not a GET.
    const headers: Record<string, string> = { "cf-connecting-ip": ip, ...(method === "get" ? {} : { Origin: BASE }) };
    for (const parameter of ((operation.parameters ?? []) as Json[]).map((p) => document.resolve(p) as Json)) {
      if (parameter.in === "path") continue;
      const value = parameterValue(parameter);
      if (value === undefined) {
        expect(parameter.required, `${where}: Swagger UI cannot run it without ${parameter.name}`).not.toBe(true);
        continue;
      }
      if (parameter.in === "query") url.searchParams.set(parameter.name, String(value));
      if (parameter.in === "header") headers[parameter.name] = String(value);
    }
    if (operation.security?.some((requirement: Json) => "bearerAuth" in requirement)) {
      expect(known.token, `${where}: a token was pasted into Authorize`).toBeDefined();
      headers.Authorization = `Bearer ${known.token}`;
    }
    if (cookies.size) headers.Cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    let body: string | undefined;
    const media = operation.requestBody?.content?.["application/json"];
    if (media) {
      const example = bodyExample(media);
      expect(example, `${where}: the document gives the body to send`).toBeDefined();
      body = JSON.stringify(example);
      headers["Content-Type"] = "application/json";
    }

    const res = await call(url.pathname + url.search, { method: method.toUpperCase(), headers, body });
    const success = Object.keys(operation.responses)
      .filter((status) => status.startsWith("2"))
      .sort()[0];
    expect(`${where} ${res.status}`).toBe(`${where} ${success}`);

    for (const cookie of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name);
      else cookies.set(name, pair.slice(pair.indexOf("=") + 1));
    }
    const answer = res.headers.get("Content-Type")?.includes("application/json") ? ((await res.json()) as Json) : {};
    if (key === "get /api/auth/token") known.token = answer.token;
    if (key === "get /api/me") known.userId = answer.id;
    // The session signed in first, not the one this browser holds: signing it out leaves us in.
    if (key === "get /api/sessions") known.sessionId = answer.items.at(-1)?.id;
    if (key.startsWith("post ") && path.endsWith("/todos")) known.todoId = answer.id;
  }
});

/**
 * The Worker's settings with a database that cannot answer: a SQL endpoint that answers every query
 * with an HTTP error, or (in Hyperdrive mode) a port nobody listens on. Only the requests sent with
 * them see it.
 */
const databaseDown = (): Partial<Env> => ({
  NEON_HTTP_ENDPOINT: `${sqlEndpoint.url()}/no-such-endpoint`,
  // The database layer reads nothing of the binding but its connectionString (db/client.ts).
  ...(env.HYPERDRIVE
    ? { HYPERDRIVE: { connectionString: "postgres://postgres:unused@127.0.0.1:1/edge_todo" } as Hyperdrive }
    : {}),
});

/** A body to compare with an example: the seconds a 429 asks to wait depend on the clock. */
const comparable = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/in \d+ seconds/g, "in N seconds"));

test("every error example in the document is an answer the API gives", async () => {
  const seen: unknown[] = [];
  const see = async (answer: Promise<Response>) => {
    const res = await answer;
    expect(res.status).toBeGreaterThanOrEqual(400);
    seen.push(comparable(await res.json()));
  };
  const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp(), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const { token, email, password, cookie } = await signedInUser();

  // The todo API's own.
  await see(call("/api/todos"));
  await see(call("/api/todos", { method: "POST", headers: bearer(token), body: "title=x" }));
  await see(apiCall(token, "POST", "/api/todos", { title: "x", userId: "someone" }));
  await see(apiCall(token, "GET", "/api/todos?sort=title"));
  await see(apiCall(token, "GET", `/api/todos/${crypto.randomUUID()}`));
  const todo = (await (await apiCall(token, "POST", "/api/todos", { title: "x" })).json()) as { id: string };
  await see(call(`/api/todos/${todo.id}`, { method: "DELETE", headers: bearer(token, { "If-Match": "x" }) }));
  await see(call(`/api/todos/${todo.id}`, { method: "DELETE", headers: bearer(token, { "If-Match": '"9"' }) }));
  await see(apiCall(token, "GET", "/api/users/someone-else/todos"));
  await see(apiCall(token, "DELETE", "/api/sessions/no-such-session"));
  await see(apiCall(token, "POST", "/api/todos", { title: "x".repeat(70_000) }));
  const full = await signedInUser();
  await (await createDb(getConfig(env))).insert(todos).select(
    sql`select gen_random_uuid(), ${full.id}, 'filler ' || n, false, n, null::timestamptz, now(), now(), 1, null::text
        from generate_series(1, ${MAX_TODOS_PER_USER}) as n`,
  );
  await see(apiCall(full.token, "POST", "/api/todos", { title: "one too many" }));

  // Better Auth's, as the Worker passes them on.
  await see(call("/api/auth/token"));
  await see(call("/api/auth/sign-in/email", post({ email, password: "Wrong-Pass-1" })));
  await see(call("/api/auth/sign-in/email", post({ email })));
  await see(call("/api/auth/sign-in/email", post({ email, password }, { Origin: "https://evil.example" })));
  await see(call("/api/auth/sign-up/email", post({ name: "Ada", email, password })));
  await see(call("/api/auth/sign-up/email", post({ name: "Ada", email: `x${email}`, password: "short" })));
  await see(call("/api/auth/update-user", post({ name: "" }, { Cookie: cookie })));
  await see(
    call(
      "/api/auth/change-password",
      post({ currentPassword: "Wrong-Pass-1", newPassword: password }, { Cookie: cookie }),
    ),
  );
  await see(call("/api/auth/revoke-sessions", post("{", { Cookie: cookie })));
  await see(
    call("/api/auth/sign-out", { method: "POST", headers: { Origin: BASE, Cookie: cookie }, body: new Uint8Array(0) }),
  );
  await see(call("/api/auth/sign-in/email", { method: "POST", headers: { Origin: BASE }, body: new Uint8Array(0) }));
  const ip = freshIp();
  const limited = { ...env, AUTH_RATE_LIMIT: "1/60" };
  const signIn = () =>
    new Request(`${BASE}/api/auth/sign-in/email`, post({ email, password }, { "cf-connecting-ip": ip }));
  expect((await callWith(limited, signIn())).status).toBe(200);
  await see(callWith(limited, signIn()));

  // A misconfigured Worker's, and a Worker's without its database.
  await see(callWith({ ...env, BETTER_AUTH_SECRET: "too-short" }, new Request(`${BASE}/api/health`)));
  await see(callWith({ ...env, ...databaseDown() }, new Request(`${BASE}/api/health`)));
  await see(callWith({ ...env, ...databaseDown() }, new Request(`${BASE}/api/todos`, { headers: bearer(token) })));

  const examples = operationsOf(document.document).flatMap(({ path, method, operation }) =>
    Object.entries(operation.responses as Json)
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => {
        const media = document.resolve(response)?.content?.["application/json"] ?? {};
        const example = bodyExample(media);
        expect(example, `${method.toUpperCase()} ${path} ${status} has an example`).toBeDefined();
        expect((example as Json).status_code, `${method.toUpperCase()} ${path} ${status}`).toBe(Number(status));
        return comparable(example);
      }),
  );
  for (const example of new Set(examples.map((e) => JSON.stringify(e)))) {
    expect(seen, "an answer the API gave").toContainEqual(JSON.parse(example));
  }
});
