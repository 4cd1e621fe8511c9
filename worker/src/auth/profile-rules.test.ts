// What an account may be called and reached at: names follow the visible-text rule (#contract),
// e-mail addresses fit in RFC 5321's 254 characters, a profile image is an http(s) URL. A value
// that breaks them is a 400 naming the field, at sign-up and at every change, never a 500.
import { beforeAll, describe, expect, test } from "vitest";
import { EMAIL_MAX_LENGTH } from "#contract";
import {
  accessToken,
  BASE,
  call,
  errorBody,
  freshIp,
  json,
  STRONG_PASSWORD,
  signUp,
  uniqueEmail,
} from "../../test/client.ts";

function signUpWith(fields: Record<string, unknown>): Promise<Response> {
  const { body, headers } = json({ name: "Ada", email: uniqueEmail(), password: STRONG_PASSWORD, ...fields });
  return call("/api/auth/sign-up/email", {
    method: "POST",
    body,
    headers: { ...headers, Origin: BASE, "cf-connecting-ip": freshIp() },
  });
}

let cookie: string;

beforeAll(async () => {
  ({ cookie } = await signUp());
});

function updateUser(fields: Record<string, unknown>): Promise<Response> {
  const { body, headers } = json(fields);
  return call("/api/auth/update-user", { method: "POST", body, headers: { ...headers, Cookie: cookie, Origin: BASE } });
}

async function expect400(res: Response, code: string) {
  expect(res.status).toBe(400);
  expect(await errorBody(res)).toMatchObject({ code, status_code: 400, error_type: "validation_error" });
}

describe("names", () => {
  test.each([
    ["NUL", "a\u0000b"],
    ["a line break", "Ada\nLovelace"],
    ["BEL", "Ada\u0007"],
    ["a right-to-left override", "Ada \u202eecalevol"],
    ["only a zero-width space", "\u200b"],
    ["only white space and joiners", " \u200d\u00a0"],
    ["an unpaired surrogate", "Ada\ud800"],
  ])("with %s are refused at sign-up and at update-user", async (_, name) => {
    await expect400(await signUpWith({ name }), "INVALID_NAME");
    await expect400(await updateUser({ name }), "INVALID_NAME");
  });

  test("are trimmed, like titles, and then read back as sent", async () => {
    expect((await updateUser({ name: "  Ada King\u200d  " })).status).toBe(200);
    const session = await call("/api/auth/get-session", { headers: { Cookie: cookie } });
    expect(((await session.json()) as { user: { name: string } }).user.name).toBe("Ada King\u200d");
  });
});

describe("e-mail addresses", () => {
  const longest = `${"a".repeat(64)}@${"b".repeat(EMAIL_MAX_LENGTH - 64 - 1 - 4)}.com`;

  test(`of more than ${EMAIL_MAX_LENGTH} characters are refused at sign-up`, async () => {
    await expect400(await signUpWith({ email: `x${longest}` }), "INVALID_EMAIL");
    await expect400(await signUpWith({ email: `${"a".repeat(6000)}@example.com` }), "INVALID_EMAIL");
  });

  test(`of ${EMAIL_MAX_LENGTH} are accepted, and their access token works`, async () => {
    expect(longest).toHaveLength(EMAIL_MAX_LENGTH);
    const user = await signUp({ email: longest });
    const me = await call("/api/me", { headers: { Authorization: `Bearer ${await accessToken(user)}` } });
    expect(await me.json()).toMatchObject({ email: longest });
  });
});

describe("profile images", () => {
  test.each([
    ["NUL", "https://example.com/a\u0000.png"],
    ["not a URL", "a picture"],
    ["a script URL", "javascript:alert(1)"],
    ["not a string", 42],
    ["too long", `https://example.com/${"a".repeat(2048)}`],
  ])("%s is refused at sign-up and at update-user", async (_, image) => {
    await expect400(await signUpWith({ image }), "INVALID_IMAGE");
    await expect400(await updateUser({ image }), "INVALID_IMAGE");
  });

  test("an https URL, and null, are kept as sent", async () => {
    for (const image of ["https://example.com/me.png?size=64", null]) {
      expect((await updateUser({ image })).status).toBe(200);
      const session = await call("/api/auth/get-session", { headers: { Cookie: cookie } });
      expect(((await session.json()) as { user: { image: string | null } }).user.image).toBe(image);
    }
  });
});
