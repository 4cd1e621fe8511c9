// Properties of what an account is made of, through Better Auth in the Worker against the real
// database: for any name, profile image, e-mail address, password or extra field, sign-up,
// update-user and sign-in answer a 2xx whose read-back is what was sent (names trimmed, e-mail
// addresses lower-cased), or a 4xx in the error shape; never a 5xx. Each sign-up and sign-in hashes
// a password (scrypt, a few hundred milliseconds), so those properties run a few dozen times in
// all; names and images are explored at length through update-user, which hashes nothing.
import { beforeAll, describe, expect, test } from "vitest";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, unmetPasswordRules, visibleTextProblem } from "#contract";
import { BASE, call, freshIp, json, STRONG_PASSWORD, signUp, type TestUser, uniqueEmail } from "../../test/client.ts";
import { answer, anyCharacter, anyJson, anyText, check, fc, tokenSource } from "../../test/properties.ts";

const INVALID = Symbol("invalid");

/** What a name must be stored as, or INVALID. */
function expectedName(name: unknown): string | typeof INVALID {
  if (typeof name !== "string") return INVALID;
  return visibleTextProblem(name.trim(), NAME_MAX_LENGTH) === undefined ? name.trim() : INVALID;
}

/** A profile image: null, or an http(s) URL of at most 2,048 characters of visible text. */
function expectedImage(image: unknown): string | null | typeof INVALID {
  if (image === null) return null;
  if (typeof image !== "string") return INVALID;
  const url = /^https?:\/\/\S+$/i.test(image) && URL.canParse(image);
  return url && visibleTextProblem(image, 2048) === undefined ? image : INVALID;
}

/** Better Auth's test of an address (zod's `email`), within RFC 5321's length. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

const anyName = fc.oneof({ arbitrary: anyText(NAME_MAX_LENGTH), weight: 8 }, { arbitrary: anyJson, weight: 1 });
const anyImage = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl().map((url) => `${url}/${"x".repeat(2048 - url.length - 1)}`),
  fc.webUrl().map((url) => `${url}/${"x".repeat(2048 - url.length)}`),
  fc.string({ unit: anyCharacter, maxLength: 12 }).map((path) => `https://example.com/${path}`),
  fc.constantFrom(null, "javascript:alert(1)", "data:image/png;base64,AAAA", "//example.com/a.png", "https://"),
  anyText(60),
  anyJson,
);

/** What JSON carries of `value`. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const request = json(body);
  return call(path, {
    method: "POST",
    body: request.body,
    headers: { ...request.headers, Origin: BASE, "cf-connecting-ip": freshIp(), ...headers },
  });
}

interface SessionUser {
  id: string;
  name: string;
  email: string;
  image: string | null;
  emailVerified: boolean;
}

async function sessionUser(cookie: string): Promise<SessionUser> {
  const res = await call("/api/auth/get-session", { headers: { Cookie: cookie } });
  return ((await answer(res, "get-session")) as { user: SessionUser }).user;
}

describe("update-user", () => {
  let user: TestUser;

  beforeAll(async () => {
    user = await signUp();
  });

  test("any name, image and extra field: stored as sent and read back, or a 400 that changed nothing", async () => {
    const anyChange = fc.record({ name: anyName, image: anyImage }, { requiredKeys: [] }).chain((change) =>
      fc.option(
        fc
          .tuple(fc.oneof(fc.constantFrom("email", "emailVerified", "createdAt", "id"), anyText(8)), anyJson)
          .map(([key, value]) => ({ ...change, [key]: value })),
        { nil: change, freq: 6 },
      ),
    );
    await check(
      fc.asyncProperty(anyChange, async (change) => {
        const current = await sessionUser(user.cookie);
        const body = overJson(change) as Record<string, unknown>;
        const res = await post("/api/auth/update-user", body, { Cookie: user.cookie });
        const got = await answer(res, `update-user ${JSON.stringify(body)}`);
        const name = "name" in body ? expectedName(body.name) : current.name;
        const image = "image" in body ? expectedImage(body.image) : current.image;
        const extra = Object.keys(body).some((key) => key !== "name" && key !== "image");
        const after = await sessionUser(user.cookie);
        if (name === INVALID || image === INVALID) {
          expect(res.status, JSON.stringify(got)).toBe(400);
        } else if (!extra) {
          // Nothing to change is a 400 of Better Auth's; anything else is applied.
          expect(res.status, JSON.stringify(got)).toBe(Object.keys(body).length ? 200 : 400);
        }
        if (res.status === 200) {
          expect(after).toMatchObject({ name, image, email: current.email, emailVerified: current.emailVerified });
        } else {
          expect(after).toEqual(current);
        }
      }),
      60,
    );
  });
});

describe("sign-up", () => {
  test("any name, and any extra field: the account as sent, never verified by the client's say", async () => {
    const anyExtra = fc.option(
      fc.tuple(
        fc.constantFrom("emailVerified", "createdAt", "updatedAt", "id", "role", "image", "callbackURL", "rememberMe"),
        anyJson,
      ),
      { nil: undefined, freq: 3 },
    );
    await check(
      fc.asyncProperty(anyName, anyExtra, async (name, extra) => {
        const body = overJson({
          name,
          email: uniqueEmail(),
          password: STRONG_PASSWORD,
          ...(extra ? { [extra[0]]: extra[1] } : {}),
        });
        const res = await post("/api/auth/sign-up/email", body);
        const got = await answer(res, `sign-up ${JSON.stringify(body)}`);
        if (expectedName(body.name) === INVALID) {
          expect(res.status, JSON.stringify(got)).toBe(400);
          return;
        }
        // An extra field may be refused (a callbackURL not of this app, an image that is no URL).
        if (extra === undefined) expect(res.status, JSON.stringify(got)).toBe(200);
        if (res.status !== 200) return;
        const cookie =
          res.headers
            .getSetCookie()
            .find((c) => c.includes("session_token="))
            ?.split(";")[0] ?? "";
        const stored = await sessionUser(cookie);
        expect(stored).toMatchObject({ name: expectedName(body.name), email: body.email, emailVerified: false });
        // The name goes into every access token.
        const me = await call("/api/me", { headers: { Authorization: `Bearer ${await tokenSource({ cookie })()}` } });
        expect(await answer(me, "me")).toEqual({ id: stored.id, name: stored.name, email: stored.email });
      }),
      15,
    );
  });

  test("any e-mail address: the account, its address lower-cased, or a 4xx", async () => {
    const anyEmail = fc.oneof(
      // Made unique in front, so no run meets an earlier one's account.
      fc.emailAddress().map((email) => `${crypto.randomUUID().slice(0, 8)}${email}`),
      fc
        .integer({ min: EMAIL_MAX_LENGTH - 3, max: EMAIL_MAX_LENGTH + 3 })
        .map((length) => `${crypto.randomUUID().slice(0, 8)}@${"a".repeat(length - 8 - 1 - 4)}.Com`),
      anyText(40),
      fc.constantFrom(`${"a".repeat(6000)}@example.com`, "a@b", "a@@b.cd", "a\u0000@b.cd", "Ä@b.cd"),
      anyJson,
    );
    await check(
      fc.asyncProperty(anyEmail, async (email) => {
        const body = overJson({ name: "Ada", email, password: STRONG_PASSWORD });
        const res = await post("/api/auth/sign-up/email", body);
        const got = await answer(res, `sign-up ${JSON.stringify(body)}`);
        const valid = typeof body.email === "string" && EMAIL.test(body.email) && body.email.length <= EMAIL_MAX_LENGTH;
        expect(res.status, JSON.stringify(got)).toBe(valid ? 200 : 400);
        if (!valid) return;
        expect(got).toMatchObject({ user: { email: (body.email as string).toLowerCase() } });
      }),
      15,
    );
  });

  test("any password: the policy's verdict, and one accepted signs in", async () => {
    const upper = fc.constantFrom("A", "Ä", "Z", "Σ");
    const lower = fc.constantFrom("a", "ß", "z", "σ");
    const digit = fc.constantFrom("0", "9", "٣");
    const anyPassword = fc.oneof(
      anyText(128),
      fc
        .tuple(upper, lower, digit, fc.string({ unit: anyCharacter, minLength: 5, maxLength: 130 }))
        .map((parts) => parts.join("")),
    );
    await check(
      fc.asyncProperty(anyPassword, async (password) => {
        const body = overJson({ name: "Ada", email: uniqueEmail(), password });
        const res = await post("/api/auth/sign-up/email", body);
        const got = await answer(res, "sign-up with a generated password");
        const valid = unmetPasswordRules(body.password).length === 0;
        expect(res.status, JSON.stringify(got)).toBe(valid ? 200 : 400);
        if (!valid) {
          expect(got).toMatchObject({ code: "PASSWORD_POLICY" });
          return;
        }
        const signIn = await post("/api/auth/sign-in/email", { email: body.email, password: body.password });
        expect(signIn.status).toBe(200);
      }),
      10,
    );
  });
});

describe("sign-in", () => {
  test("any e-mail address and password: 400 or 401, never a 5xx", async () => {
    const anyCredential = fc.oneof(anyText(60), fc.emailAddress(), anyJson);
    await check(
      fc.asyncProperty(anyCredential, anyCredential, async (email, password) => {
        const res = await post("/api/auth/sign-in/email", { email, password });
        const got = await answer(res, `sign-in ${JSON.stringify({ email, password })}`);
        expect([400, 401], JSON.stringify(got)).toContain(res.status);
      }),
      12,
    );
  });
});
