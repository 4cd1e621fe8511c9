// Better Auth's part of the OpenAPI document: what Better Auth's own openAPI plugin says about the
// endpoints of this app's instance (same createAuth(), same plugins), plus what routes/auth.ts does
// around them: only the methods the Worker forwards, the session cookie as their security, every
// error in the API's error shape, the rate limiter's 429, no session token in the bodies it strips.
// Build time only (openapi/document.ts): the plugin pulls all of zod's core and locales into
// whatever bundles it, +100 KiB gzip that the Worker does not carry.

import { freshSessionMiddleware, sensitiveSessionMiddleware, sessionMiddleware } from "better-auth/api";
import { betterAuth } from "better-auth/minimal";
import { openAPI } from "better-auth/plugins/open-api";
import type { RouterRoute } from "hono/types";
import { createAuth } from "../auth/better-auth.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { RATE_LIMITED_AUTH_PATHS, stripsSessionToken } from "../routes/auth.ts";
import { errorResponses } from "./describe.ts";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const componentRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

export interface AuthPart {
  /** Where Better Auth's endpoints are: "/api/auth". */
  basePath: string;
  paths: Record<string, Record<string, JsonObject>>;
  schemas: Record<string, JsonObject>;
  sessionCookieName: string;
}

interface Endpoint {
  path?: string;
  options?: { use?: unknown[]; requireHeaders?: boolean };
}

/** Better Auth's middlewares that answer 401 without a session. */
const SESSION_REQUIRED = new Set<unknown>([sessionMiddleware, freshSessionMiddleware, sensitiveSessionMiddleware]);

/** Beside the standard fields, Better Auth's errors keep their own (routes/auth.ts). */
const AUTH_ERROR: JsonObject = {
  description: "The API's error fields, plus Better Auth's own `code` and `message` when Better Auth answered",
  allOf: [
    componentRef("Error"),
    {
      type: "object",
      properties: {
        code: { type: "string", description: "e.g. INVALID_EMAIL_OR_PASSWORD, USER_ALREADY_EXISTS, PASSWORD_POLICY" },
        message: { type: "string" },
        unmetRules: {
          type: "array",
          items: { type: "string" },
          description: "With PASSWORD_POLICY: the password rules not met",
        },
      },
    },
  ],
};

/** Better Auth writes OpenAPI 3.0's `nullable`; 3.1 says it with a "null" type. */
function withNullTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNullTypes);
  if (!isObject(value)) return value;
  const { nullable, ...rest } = value;
  const out = Object.fromEntries(Object.entries(rest).map(([key, child]) => [key, withNullTypes(child)]));
  if (nullable !== true) return out;
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type)) return { ...out, type: [...new Set([...out.type, "null"])] };
  return { anyOf: [out, { type: "null" }] };
}

/** The schema without a `token` property, as routes/auth.ts answers it. */
function withoutToken(schema: JsonObject): JsonObject {
  const { token: _, ...properties } = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((key) => key !== "token") : undefined;
  return { ...schema, properties, ...(required ? { required } : {}) };
}

/** A success answer of a path the Worker strips (stripsSessionToken): no `token`, nor `session.token`. */
function withoutSessionToken(response: JsonObject, schemas: Record<string, JsonObject>): JsonObject {
  const media = isObject(response.content) ? response.content["application/json"] : undefined;
  if (!isObject(media) || !isObject(media.schema)) return response;
  const schema = withoutToken(media.schema);
  const properties = schema.properties as JsonObject;
  const session = properties.session;
  if (isObject(session) && typeof session.$ref === "string") {
    const target = schemas[session.$ref.split("/").at(-1) ?? ""];
    if (target) properties.session = withoutToken(target);
  }
  return { ...response, content: { "application/json": { ...media, schema } } };
}

/** The error answers the Worker gives around Better Auth's endpoint `path` (relative to its base). */
function errorAnswers(path: string, method: string, sessionRequired: boolean): JsonObject {
  const rateLimited = method === "post" && RATE_LIMITED_AUTH_PATHS.includes(path);
  const post = method === "post";
  const errors: Record<number, string> = {
    400: "Invalid input, or a rule Better Auth enforces (`code` says which)",
    500: "Unexpected server error; the logs have it under X-Request-Id",
    503: rateLimited ? "The database or the rate limiter is unavailable" : "The database is unavailable",
  };
  if (sessionRequired) errors[401] = "No session cookie, or an expired or revoked session";
  if (path === "/sign-in/email") errors[401] = "Invalid email or password";
  if (path === "/sign-up/email") errors[409] = "The e-mail address is taken";
  if (post) errors[403] = "The request's Origin is not a trusted origin (CSRF check)";
  if (post) errors[413] = "The body is larger than 64 KiB";
  if (rateLimited) errors[429] = "Too many attempts from this address; retry after Retry-After seconds";
  return errorResponses(errors, "AuthError");
}

export async function authPaths(config: Config, db: Db, routes: readonly RouterRoute[]): Promise<AuthPart> {
  const auth = createAuth(config, db);
  // A twin of the app's instance with the plugin added: the app's own does not serve its endpoints
  // (and the plugin's reference page would load Scalar from a CDN).
  const documented = betterAuth({
    ...auth.options,
    plugins: [...auth.options.plugins, openAPI({ disableDefaultReference: true })],
  });
  const generated = withNullTypes(await documented.api.generateOpenAPISchema()) as {
    paths: Record<string, Record<string, JsonObject>>;
    components: { schemas: Record<string, JsonObject> };
  };
  const basePath = auth.options.basePath;
  // What routes/auth.ts forwards to Better Auth.
  const served = new Set(routes.filter((r) => r.path === `${basePath}/*`).map((r) => r.method.toLowerCase()));
  const endpoints = new Map<string, Endpoint>();
  for (const endpoint of Object.values(auth.api) as Endpoint[]) {
    if (endpoint.path) endpoints.set(endpoint.path.replace(/:(\w+)/g, "{$1}"), endpoint);
  }

  // Switched off in createAuth (they answer 404): not part of the API.
  const disabled = new Set(auth.options.disabledPaths ?? []);

  const paths: AuthPart["paths"] = {};
  for (const [path, item] of Object.entries(generated.paths)) {
    if (disabled.has(path)) continue;
    const fullPath = `${basePath}${path}`;
    const options = endpoints.get(path)?.options;
    const sessionRequired = options?.use?.some((m) => SESSION_REQUIRED.has(m)) ?? false;
    // Required: 401 without a session. Optional: the endpoint reads the cookie if there is one.
    const security = sessionRequired
      ? [{ sessionCookie: [] }]
      : options?.requireHeaders
        ? [{}, { sessionCookie: [] }]
        : [];
    for (const [method, operation] of Object.entries(item)) {
      if (!served.has(method)) continue;
      const { tags: _, description, security: __, parameters, responses, ...rest } = operation;
      const answers: JsonObject = {};
      for (const [status, response] of Object.entries(isObject(responses) ? responses : {})) {
        // Better Auth's generic error answers give way to the Worker's (errorAnswers).
        if (!isObject(response) || Number(status) >= 400) continue;
        answers[status] = stripsSessionToken(fullPath)
          ? withoutSessionToken(response, generated.components.schemas)
          : response;
      }
      Object.assign(answers, errorAnswers(path, method, sessionRequired));
      paths[fullPath] ??= {};
      paths[fullPath][method] = {
        tags: ["auth"],
        ...(typeof description === "string" ? { summary: description } : {}),
        ...rest,
        // Client generators name their functions after it; Better Auth leaves some out.
        operationId:
          rest.operationId ??
          `${method}${path
            .split(/\W+/)
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
            .join("")}`,
        security,
        ...(Array.isArray(parameters) && parameters.length ? { parameters } : {}),
        responses: Object.fromEntries(Object.entries(answers).sort(([a], [b]) => Number(a) - Number(b))),
      };
    }
  }

  // Only the models the endpoints answer with: the others (accounts, verifications, signing keys)
  // describe rows that never leave the Worker.
  const referenced = new Set([...JSON.stringify(paths).matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]));
  const schemas = Object.fromEntries(Object.entries(generated.components.schemas).filter(([id]) => referenced.has(id)));
  const context = await auth.$context;
  return {
    basePath,
    paths,
    schemas: { ...schemas, AuthError: AUTH_ERROR },
    sessionCookieName: context.authCookies.sessionToken.name,
  };
}
