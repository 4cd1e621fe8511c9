// What people read when something fails: Better Auth's and the API's errors, worded for a person,
// never a raw status, and "Invalid email or password" without saying which one was wrong.
import { describe, expect, it } from "vitest";
import { toApiError, userMessage } from "./api-error.ts";
import { answeringNetworkFailures } from "./fetch-policy.ts";
import { safeRedirect } from "./redirect.ts";

/** An error body as the Worker sends it for Better Auth (routes/auth.ts adds the API's fields). */
const authError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  status,
  statusText: "",
  code,
  message,
  detail: message,
  status_code: status,
  error_type: status === 401 ? "authentication_error" : status === 409 ? "conflict" : "validation_error",
  ...extra,
});

describe("messages for people", () => {
  it("wrong credentials: one message whichever of the two was wrong", () => {
    const error = toApiError(authError(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password"));
    expect(userMessage(error)).toBe("Invalid email or password.");
  });

  it("an e-mail that is taken", () => {
    const error = toApiError(
      authError(409, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email."),
    );
    expect(error.status).toBe(409);
    expect(userMessage(error)).toBe(
      "An account with this email already exists. Sign in instead, or use another email.",
    );
  });

  it("a broken password rule: the server's sentence and the rules it names", () => {
    const error = toApiError(
      authError(400, "PASSWORD_POLICY", "Password must contain an uppercase letter and a number.", {
        unmetRules: ["uppercase", "digit"],
      }),
    );
    expect(userMessage(error)).toBe("Password must contain an uppercase letter and a number.");
    expect(error.unmetRules).toEqual(["uppercase", "digit"]);
  });

  it("rate limited: how long to wait, from Retry-After", () => {
    const error = toApiError(
      { status: 429, statusText: "", detail: "Too many requests", status_code: 429, error_type: "rate_limited" },
      new Headers({ "Retry-After": "42" }),
    );
    expect(error.retryAfterSeconds).toBe(42);
    expect(userMessage(error)).toBe("Too many attempts. Please wait 42 seconds and try again.");
  });

  it("no answer at all is a network error, not a 503 from the server", async () => {
    const send = answeringNetworkFailures(() => Promise.reject(new TypeError("Failed to fetch")));
    const response = await send("http://127.0.0.1/api/todos");
    // As better-fetch hands a failed answer to the clients: its JSON body, status and statusText.
    const error = toApiError({ ...(await response.json()), status: response.status, statusText: response.statusText });
    expect(error).toMatchObject({ status: 0, errorType: "network_error" });
  });

  it("changed in another tab (412): says so, and that the change was not saved", () => {
    const error = toApiError({ status: 412, statusText: "Precondition Failed" });
    expect(error.errorType).toBe("precondition_failed");
    expect(userMessage(error)).toBe(
      "This todo was changed in another tab or device; here is the latest version — your change was not saved.",
    );
  });

  it("internal errors never show the server's text", () => {
    const body = { detail: "TypeError at line 3", status_code: 500, error_type: "internal_error" };
    const error = toApiError({ status: 500, statusText: "", ...body });
    expect(userMessage(error)).not.toContain("TypeError");
  });
});

describe("where sign-in returns to", () => {
  it("goes back to the page the user was sent away from", () => {
    expect(safeRedirect("/todos?filter=active")).toBe("/todos?filter=active");
  });

  it("never leaves the site, and never loops back to the auth pages", () => {
    for (const target of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "/sign-in",
      undefined,
    ]) {
      expect(safeRedirect(target)).toBe("/todos");
    }
  });
});
