// Better Auth's part of the OpenAPI document: what Better Auth's own openAPI plugin says about the
// endpoints of this app's instance (same createAuth(), same plugins), set right where it differs
// from what they answer, plus what routes/auth.ts does around them: only the methods the Worker
// forwards, the session cookie as their security, every error in the API's error shape, the rate
// limiter's 429, no session token in the bodies it strips, no cache for anything but the key set.
// Build time only (openapi/document.ts): the plugin pulls all of zod's core and locales into
// whatever bundles it, +100 KiB gzip that the Worker does not carry.

import type { BetterAuthOptions } from "better-auth";
import { freshSessionMiddleware, sensitiveSessionMiddleware, sessionMiddleware } from "better-auth/api";
import { betterAuth } from "better-auth/minimal";
import { openAPI } from "better-auth/plugins/open-api";
import type { RouterRoute } from "hono/types";
import { createAuth } from "../auth/better-auth.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { stripsSessionToken } from "../routes/auth.ts";
import { AUTH_ERROR, type AuthOperation, errorAnswers, OPERATIONS } from "./auth-operations.ts";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export interface AuthPart {
  /** Where Better Auth's endpoints are: "/api/auth". */
  basePath: string;
  paths: Record<string, Record<string, JsonObject>>;
  schemas: Record<string, JsonObject>;
  sessionCookieName: string;
}

interface Endpoint {
  path?: string;
  options?: { use?: unknown[]; requireHeaders?: boolean; metadata?: { allowedMediaTypes?: string[] } };
}

/** Better Auth's middlewares that answer 401 without a session. */
const SESSION_REQUIRED = new Set<unknown>([sessionMiddleware, freshSessionMiddleware, sensitiveSessionMiddleware]);

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

/**
 * A model's schema (User, Session) as the database row answers it: a field that is not required is
 * a NULL column, answered as null (a user's `image`, a session's `ipAddress`), and no field beyond
 * the model's is ever sent.
 */
function asRow(model: JsonObject): JsonObject {
  const required = new Set(Array.isArray(model.required) ? model.required : []);
  const properties = Object.fromEntries(
    Object.entries(isObject(model.properties) ? model.properties : {}).map(([key, property]) => [
      key,
      required.has(key) || !isObject(property) || typeof property.type !== "string"
        ? property
        : { ...property, type: [property.type, "null"] },
    ]),
  );
  return { ...model, properties, additionalProperties: false };
}

/** The schema without a `token` property, as routes/auth.ts answers it. */
function withoutToken(schema: JsonObject): JsonObject {
  const { token: _, ...properties } = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((key) => key !== "token") : undefined;
  return { ...schema, properties, ...(required ? { required } : {}) };
}

/**
 * A success body of a path the Worker strips (stripsSessionToken): no `token`, nor `session.token`.
 * Closed (no other properties), so that a token that did reach a body is a difference from the
 * document, which the tests see.
 */
function withoutSessionToken(schema: JsonObject, schemas: Record<string, JsonObject>): JsonObject {
  if (Array.isArray(schema.anyOf)) {
    return { ...schema, anyOf: schema.anyOf.map((member) => withoutSessionToken(member as JsonObject, schemas)) };
  }
  if (!isObject(schema.properties)) return schema;
  const stripped = withoutToken(schema);
  const properties = stripped.properties as JsonObject;
  const session = properties.session;
  if (isObject(session) && typeof session.$ref === "string") {
    const target = schemas[session.$ref.split("/").at(-1) ?? ""];
    if (target) properties.session = withoutToken(target);
  }
  return { ...stripped, additionalProperties: false };
}

/** The request body as this app takes it: without fields that do nothing here, with its example. */
function requestBody(body: unknown, operation: AuthOperation): JsonObject | undefined {
  if (!isObject(body)) return undefined;
  const media = isObject(body.content) ? body.content["application/json"] : undefined;
  if (!isObject(media) || !isObject(media.schema)) return body;
  const unused = new Set(operation.unusedFields ?? []);
  const schema = media.schema;
  const properties = Object.fromEntries(
    Object.entries(isObject(schema.properties) ? schema.properties : {}).filter(([key]) => !unused.has(key)),
  );
  const required = Array.isArray(schema.required) ? schema.required.filter((key) => !unused.has(key)) : undefined;
  return {
    ...body,
    ...(operation.bodyRequired ? { required: true } : {}),
    content: {
      "application/json": {
        schema: { ...schema, properties, ...(required?.length ? { required } : {}) },
        ...(operation.example ? { example: operation.example } : {}),
      },
    },
  };
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
  const models = Object.fromEntries(
    Object.entries(generated.components.schemas).map(([id, model]) => [id, asRow(model)]),
  );
  const basePath = auth.options.basePath;
  const sessionOptions: BetterAuthOptions["session"] = auth.options.session;
  // What routes/auth.ts forwards to Better Auth.
  const served = new Set(routes.filter((r) => r.path === `${basePath}/*`).map((r) => r.method.toLowerCase()));
  const endpoints = new Map<string, Endpoint>();
  for (const endpoint of Object.values(auth.api) as Endpoint[]) {
    if (endpoint.path) endpoints.set(endpoint.path.replace(/:(\w+)/g, "{$1}"), endpoint);
  }

  // Switched off in createAuth (they answer 404): not part of the API.
  const disabled = new Set(auth.options.disabledPaths ?? []);

  const operations: [string, string, JsonObject][] = [];
  for (const [path, item] of Object.entries(generated.paths)) {
    if (disabled.has(path)) continue;
    const fullPath = `${basePath}${path}`;
    const endpoint = endpoints.get(path)?.options;
    const sessionRequired = endpoint?.use?.some((m) => SESSION_REQUIRED.has(m)) ?? false;
    // Required: 401 without a session. Optional: the endpoint reads the cookie if there is one.
    const security = sessionRequired
      ? [{ sessionCookie: [] }]
      : endpoint?.requireHeaders
        ? [{}, { sessionCookie: [] }]
        : [];
    for (const [method, generatedOperation] of Object.entries(item)) {
      if (!served.has(method)) continue;
      // Better Auth answers a POST here with 405 unless sessions defer their refresh to it.
      if (path === "/get-session" && method === "post" && !sessionOptions?.deferSessionRefresh) continue;
      const operation = OPERATIONS[`${method} ${path}`];
      if (!operation) {
        throw new Error(
          `Better Auth serves ${method.toUpperCase()} ${fullPath}, which the app neither uses nor describes: add it to disabledPaths (auth/better-auth.ts) or describe it in OPERATIONS (openapi/auth-document.ts)`,
        );
      }
      const {
        tags: _,
        description,
        security: __,
        parameters,
        responses,
        requestBody: body,
        ...rest
      } = generatedOperation;
      const answers: JsonObject = {};
      for (const [status, response] of Object.entries(isObject(responses) ? responses : {})) {
        // Better Auth's generic error answers give way to the Worker's (errorAnswers).
        if (!isObject(response) || Number(status) >= 400) continue;
        const media = isObject(response.content) ? response.content["application/json"] : undefined;
        const generatedSchema = isObject(media) && isObject(media.schema) ? media.schema : {};
        const schema = operation.answer ?? generatedSchema;
        answers[status] = {
          ...response,
          headers: operation.headers ?? {},
          content: {
            "application/json": {
              schema: stripsSessionToken(fullPath) ? withoutSessionToken(schema, models) : schema,
            },
          },
        };
      }
      const mediaTypes = endpoint?.metadata?.allowedMediaTypes ?? ["application/json"];
      Object.assign(answers, errorAnswers(path, method, operation, sessionRequired, mediaTypes));
      const documentedBody = requestBody(body, operation);
      operations.push([
        fullPath,
        method,
        {
          tags: ["auth"],
          ...(typeof description === "string" ? { summary: description } : {}),
          ...(operation.description ? { description: operation.description } : {}),
          ...rest,
          // Client generators name their functions after it; Better Auth leaves some out.
          operationId:
            rest.operationId ??
            `${method}${path
              .split(/\W+/)
              .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
              .join("")}`,
          security,
          ...(operation.parameters
            ? { parameters: operation.parameters }
            : Array.isArray(parameters) && parameters.length
              ? { parameters }
              : {}),
          ...(documentedBody ? { requestBody: documentedBody } : {}),
          responses: Object.fromEntries(Object.entries(answers).sort(([a], [b]) => Number(a) - Number(b))),
        },
      ]);
    }
  }

  const order = Object.keys(OPERATIONS);
  const rank = ([path, method]: [string, string, JsonObject]) =>
    order.indexOf(`${method} ${path.slice(basePath.length)}`);
  const paths: AuthPart["paths"] = {};
  for (const [path, method, operation] of operations.sort((a, b) => rank(a) - rank(b))) {
    paths[path] ??= {};
    paths[path][method] = operation;
  }

  // Only the models the endpoints answer with: the others (accounts, verifications, signing keys)
  // describe rows that never leave the Worker.
  const referenced = new Set([...JSON.stringify(paths).matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]));
  const schemas = Object.fromEntries(Object.entries(models).filter(([id]) => referenced.has(id)));
  const context = await auth.$context;
  return {
    basePath,
    paths,
    schemas: { ...schemas, AuthError: AUTH_ERROR },
    sessionCookieName: context.authCookies.sessionToken.name,
  };
}
