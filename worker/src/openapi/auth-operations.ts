// What this app says about the Better Auth endpoints it serves, beside what Better Auth's openAPI
// plugin says (auth-document.ts puts the two together): the example Swagger UI's "Try it out" sends,
// the answer where Better Auth's description of it is wrong, its headers, and the error answers the
// Worker gives around each endpoint, every one with an answer it really gives as its example.
import { describeUnmetRules, NAME_MAX_LENGTH, unmetPasswordRules, visibleTextProblem } from "#contract";
import { betterAuthError, RATE_LIMITED_AUTH_PATHS } from "../routes/auth.ts";
import { type ErrorAnswer, errorResponses } from "./describe.ts";

type JsonObject = Record<string, unknown>;

const componentRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** What this app says about a Better Auth endpoint it serves, beside what Better Auth says. */
export interface AuthOperation {
  /** The body "Try it out" sends; it works as it is (routes/openapi-examples.test.ts runs each). */
  example?: JsonObject;
  /** Body fields Better Auth takes that do nothing in this app: redirects after e-mails or providers. */
  unusedFields?: string[];
  /** Said to be required: an empty body, or any that is not JSON, is answered 415; send `{}`. */
  bodyRequired?: boolean;
  /** The success answer's body, where Better Auth's own description of it differs from what it sends. */
  answer?: JsonObject;
  /** Headers of the success answer beside X-Request-Id. */
  headers?: Record<string, JsonObject>;
  /** More than Better Auth's one line, where a client needs it. */
  description?: string;
  /** Better Auth's error (`code`, `message`, …) for an invalid request, if one can be: the 400's example. */
  invalid?: JsonObject;
  /** The query parameters as they work here, where Better Auth's description of them is wrong. */
  parameters?: JsonObject[];
}

const SESSION_COOKIE_SET: JsonObject = {
  description: "The session cookie: httpOnly, `SameSite=Lax`, 30 days (`__Secure-` prefixed over https)",
  required: true,
  schema: { type: "string" },
};

const NO_STORE: JsonObject = {
  description: "No cache may keep the answer: it carries a credential or the user's data",
  required: true,
  schema: { const: "no-store" },
};

const EXAMPLE_USER = { name: "Ada Lovelace", email: "ada@example.com", password: "Correct-Horse-9" };

const SIGNED_IN_USER: JsonObject = {
  type: "object",
  properties: { user: componentRef("User") },
  required: ["user"],
};

/** What a body that is not JSON gets (better-call, under Better Auth). */
const MALFORMED_JSON = { message: "Invalid JSON in request body", code: "BAD_REQUEST" };

/**
 * The Better Auth endpoints this app serves (every other one is in createAuth's disabledPaths), in
 * the order the document lists them: an account comes first, then a session, then a token.
 */
export const OPERATIONS: Record<string, AuthOperation> = {
  "post /sign-up/email": {
    example: EXAMPLE_USER,
    unusedFields: ["callbackURL"],
    answer: SIGNED_IN_USER,
    // As auth/better-auth.ts refuses the password "short".
    invalid: {
      code: "PASSWORD_POLICY",
      message: describeUnmetRules(unmetPasswordRules("short")),
      unmetRules: unmetPasswordRules("short").map((rule) => rule.id),
    },
    headers: { "Set-Cookie": SESSION_COOKIE_SET, "Cache-Control": NO_STORE },
    description: "Creates the account and signs it in: the answer sets the session cookie.",
  },
  "post /sign-in/email": {
    example: { email: EXAMPLE_USER.email, password: EXAMPLE_USER.password },
    unusedFields: ["callbackURL"],
    answer: {
      type: "object",
      properties: { redirect: { const: false }, user: componentRef("User") },
      required: ["redirect", "user"],
    },
    headers: { "Set-Cookie": SESSION_COOKIE_SET, "Cache-Control": NO_STORE },
    description: "The answer sets the session cookie.",
    invalid: {
      message: "[body.password] Invalid input: expected string, received undefined",
      code: "VALIDATION_ERROR",
    },
  },
  "get /get-session": {
    answer: {
      anyOf: [
        {
          type: "object",
          properties: { session: componentRef("Session"), user: componentRef("User") },
          required: ["session", "user"],
        },
        { type: "null" },
      ],
      description: "The session and its user; null without a session",
    },
    headers: { "Cache-Control": NO_STORE },
    // The session cookie cache is off (auth/better-auth.ts), so disableCookieCache does nothing here.
    parameters: [
      {
        name: "disableRefresh",
        in: "query",
        description:
          "Read the session without extending its life. Any value turns it on, `false` included: leave it out otherwise.",
        schema: { type: "string" },
      },
    ],
  },
  "get /token": {
    answer: {
      type: "object",
      properties: { token: { type: "string", description: "An access JWT (EdDSA)" } },
      required: ["token"],
      additionalProperties: false,
    },
    headers: { "Cache-Control": NO_STORE },
    description:
      "An access JWT for the session cookie, for `Authorization: Bearer` on the todo API. It lives `ACCESS_TOKEN_TTL_SECONDS` (15 minutes by default); ask again for a new one.",
  },
  "get /jwks": {
    headers: {
      "Cache-Control": {
        description: "Keys are published before they sign anything, so a minute's cache is safe",
        required: true,
        schema: { const: "public, max-age=60" },
      },
    },
    description: "The public keys that verify access tokens.",
  },
  "post /update-user": {
    example: { name: "Ada King" },
    invalid: { code: "INVALID_NAME", message: `Name ${visibleTextProblem("", NAME_MAX_LENGTH)}.` },
    answer: { type: "object", properties: { status: { type: "boolean" } }, required: ["status"] },
    headers: { "Cache-Control": NO_STORE },
  },
  "post /change-password": {
    example: { currentPassword: EXAMPLE_USER.password, newPassword: "Correct-Horse-10" },
    // The Worker always signs the other sessions out (auth/better-auth.ts).
    unusedFields: ["revokeOtherSessions"],
    answer: SIGNED_IN_USER,
    invalid: { message: "Invalid password", code: "INVALID_PASSWORD" },
    headers: { "Set-Cookie": SESSION_COOKIE_SET, "Cache-Control": NO_STORE },
    description: "Signs out every other session; this one gets a new session cookie.",
  },
  "post /revoke-other-sessions": {
    example: {},
    bodyRequired: true,
    invalid: MALFORMED_JSON,
    headers: { "Cache-Control": NO_STORE },
  },
  "post /sign-out": {
    example: {},
    unusedFields: ["callbackURL", "disableRedirect", "state"],
    bodyRequired: true,
    invalid: MALFORMED_JSON,
    answer: { type: "object", properties: { success: { type: "boolean" } }, required: ["success"] },
    headers: { "Cache-Control": NO_STORE },
  },
  "post /revoke-sessions": {
    example: {},
    bodyRequired: true,
    invalid: MALFORMED_JSON,
    headers: { "Cache-Control": NO_STORE },
    description: "Signs out every session of the user, this one included.",
  },
};

/** Beside the standard fields, Better Auth's errors keep their own (routes/auth.ts). */
export const AUTH_ERROR: JsonObject = {
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

/** An error answer Better Auth gives, as routes/auth.ts passes it on. */
const authError = (description: string, status: number, error: JsonObject): ErrorAnswer => ({
  description,
  example: betterAuthError(status, error).body,
});

/** The error answers the Worker gives around Better Auth's endpoint `path` (relative to its base). */
export function errorAnswers(
  path: string,
  method: string,
  operation: AuthOperation,
  sessionRequired: boolean,
  mediaTypes: string[],
) {
  const rateLimited = method === "post" && RATE_LIMITED_AUTH_PATHS.includes(path);
  const post = method === "post";
  const errors: Record<number, string | ErrorAnswer> = {
    500: "Unexpected server error; the logs have it under X-Request-Id",
    503: rateLimited ? "The database or the rate limiter is unavailable" : "The database is unavailable",
  };
  if (operation.invalid) {
    errors[400] = authError(
      "Invalid input, or a rule Better Auth enforces (`code` says which)",
      400,
      operation.invalid,
    );
  }
  if (sessionRequired) {
    errors[401] = authError("No session cookie, or an expired or revoked session", 401, {
      message: "Unauthorized",
      code: "UNAUTHORIZED",
    });
  }
  if (path === "/sign-in/email") {
    errors[401] = authError("Invalid email or password", 401, {
      message: "Invalid email or password",
      code: "INVALID_EMAIL_OR_PASSWORD",
    });
  }
  if (path === "/sign-up/email") {
    errors[409] = authError("The e-mail address is taken (or a simultaneous sign-up just took it)", 422, {
      message: "User already exists. Use another email.",
      code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
    });
  }
  if (post) {
    errors[403] = authError("The request's Origin is not a trusted origin (CSRF check)", 403, {
      message: "Invalid origin",
      code: "INVALID_ORIGIN",
    });
    errors[413] = "The body is larger than 64 KiB";
    errors[415] = authError("The request has a body, and it is not JSON (`Content-Type: application/json`)", 415, {
      message: `Content-Type is required. Allowed types: ${mediaTypes.join(", ")}`,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  }
  if (rateLimited) {
    errors[429] = {
      description: "Too many attempts from this address; retry after Retry-After seconds",
      example: { detail: "Too many attempts; try again in 42 seconds", status_code: 429, error_type: "rate_limited" },
    };
  }
  return errorResponses(errors, "AuthError");
}
