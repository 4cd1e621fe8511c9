// The password rules (#contract) as the server enforces them on sign-up and password change.
import { describe, expect, test } from "vitest";
import { BASE, call, errorBody, freshIp, STRONG_PASSWORD, signUp, uniqueEmail } from "../../test/client.ts";

function signUpWith(password: string) {
  return call("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ name: "Policy Tester", email: uniqueEmail("policy"), password }),
  });
}

describe("the server enforces it", () => {
  test.each([
    ["short1A", ["length"]],
    ["alllowercase1", ["uppercase"]],
    ["ALLUPPERCASE1", ["lowercase"]],
    ["NoDigitsHere", ["digit"]],
    [`A1${"b".repeat(127)}`, ["length"]],
  ])("sign-up with %s is 400 naming %j", async (password, rules) => {
    const res = await signUpWith(password);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      code: "PASSWORD_POLICY",
      unmetRules: rules,
      status_code: 400,
      error_type: "validation_error",
    });
    expect(body.detail).toBe(body.message);
    expect(body.detail).toMatch(/^Password must /);
  });

  test("change-password checks the new password too, and accepts a good one", async () => {
    const user = await signUp();
    const change = (newPassword: string) =>
      call("/api/auth/change-password", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Cookie: user.cookie,
          Origin: BASE,
          "cf-connecting-ip": freshIp(),
        },
        body: JSON.stringify({ currentPassword: user.password, newPassword }),
      });
    const weak = await change("weakpassword");
    expect(weak.status).toBe(400);
    expect(await errorBody(weak)).toMatchObject({ error_type: "validation_error" });
    expect((await change(`${STRONG_PASSWORD}-new`)).status).toBe(200);
  });
});
