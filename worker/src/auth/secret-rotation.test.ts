// Rotating BETTER_AUTH_SECRET without locking anyone out of signing: the stored signing keys are
// encrypted with it, so the old secret stays able to decrypt (BETTER_AUTH_SECRETS) until a key made
// under the new one has taken over. (Exclusive project: it rotates the signing key.)
import { env } from "cloudflare:test";
import { afterEach, expect, test, vi } from "vitest";
import { BASE, callWith, freshIp, STRONG_PASSWORD, uniqueEmail } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { clearKeyCache } from "./access-token.ts";
import { createAuth, jwtPluginOptions } from "./better-auth.ts";
import { rotateSigningKey } from "./signing-keys.ts";

const OLD = env.BETTER_AUTH_SECRET;
const NEW = "the-new-secret-after-rotation-0123456789abcdef";

// Leave the database as the next test expects it: signing with a key the test secret can decrypt.
afterEach(async () => {
  const { config } = deployedWith({ BETTER_AUTH_SECRET: OLD });
  const db = await createDb(config);
  await rotateSigningKey(createAuth(config, db), db, jwtPluginOptions(config), 0);
  clearKeyCache();
});

/** The Worker as deployed with these secret settings. */
function deployedWith(vars: { BETTER_AUTH_SECRET: string; BETTER_AUTH_SECRETS?: string }) {
  const deployed = { ...env, ...vars };
  const fetch = (path: string, init: RequestInit = {}) => callWith(deployed, new Request(new URL(path, BASE), init));
  return {
    config: getConfig(deployed),
    /** Signs up (or in) and asks for an access token; returns the token endpoint's status. */
    async tokenStatus(email: string): Promise<number> {
      const body = JSON.stringify({ name: "Rotating", email, password: STRONG_PASSWORD });
      const headers = { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() };
      let res = await fetch("/api/auth/sign-up/email", { method: "POST", headers, body });
      if (res.status === 409) res = await fetch("/api/auth/sign-in/email", { method: "POST", headers, body });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers
        .getSetCookie()
        .find((c) => c.includes("session_token="))!
        .split(";")[0]!;
      return (await fetch("/api/auth/token", { headers: { Cookie: cookie } })).status;
    },
    /** Signs in; the session cookie (`name=value`). */
    async signIn(email: string): Promise<string> {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: BASE, "cf-connecting-ip": freshIp() },
        body: JSON.stringify({ email, password: STRONG_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      return res.headers
        .getSetCookie()
        .find((c) => c.includes("session_token="))!
        .split(";")[0]!;
    },
    token: (cookie: string) => fetch("/api/auth/token", { headers: { Cookie: cookie } }),
    health: () => fetch("/api/health"),
  };
}

test("nobody is signed out by a secret rotation: a cookie signed with the old secret is re-signed on first use", async () => {
  const email = uniqueEmail("stays-signed-in");
  const before = deployedWith({ BETTER_AUTH_SECRET: OLD });
  expect(await before.tokenStatus(email)).toBe(200);
  const oldCookie = await before.signIn(email);

  const during = deployedWith({ BETTER_AUTH_SECRET: OLD, BETTER_AUTH_SECRETS: `2:${NEW},1:${OLD}` });
  const first = await during.token(oldCookie);
  expect(first.status).toBe(200);
  const resigned = first.headers
    .getSetCookie()
    .find((c) => c.includes("session_token="))
    ?.split(";")[0];
  expect(resigned).toBeDefined();
  expect(resigned).not.toBe(oldCookie);
  expect((await during.token(resigned!)).status).toBe(200);
  const db = await createDb(during.config);
  await rotateSigningKey(createAuth(during.config, db), db, jwtPluginOptions(during.config), 0);

  // Once the old secret is gone, the browser's re-signed cookie still works; the old one would not.
  const after = deployedWith({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_SECRETS: `2:${NEW}` });
  expect((await after.token(resigned!)).status).toBe(200);
  expect((await after.token(oldCookie)).status).toBe(401);
});

test("rotate BETTER_AUTH_SECRET: the old secret keeps decrypting until a new key takes over", async () => {
  const email = uniqueEmail("rotation");
  const before = deployedWith({ BETTER_AUTH_SECRET: OLD });
  expect(await before.tokenStatus(email)).toBe(200);

  // The wrong way: replace the secret outright. The stored key cannot be decrypted: no tokens, and
  // the health check says why and how to fix it.
  const wrong = deployedWith({ BETTER_AUTH_SECRET: NEW });
  const logged = vi.spyOn(console, "error");
  expect(await wrong.tokenStatus(email)).toBe(500);
  expect(logged.mock.calls.flat().join("\n")).toContain("cannot be decrypted with BETTER_AUTH_SECRET");
  logged.mockRestore();
  const health = await wrong.health();
  expect(health.status).toBe(503);
  const body = (await health.json()) as { detail: string; signingKey: string; error_type: string };
  expect(body).toMatchObject({ signingKey: "undecryptable", error_type: "service_unavailable" });
  expect(body.detail).toContain("BETTER_AUTH_SECRETS");
  expect(body.detail).toContain("keys:rotate");

  // Step 1: the new secret first (it encrypts), the old one still decrypts.
  const during = deployedWith({ BETTER_AUTH_SECRET: OLD, BETTER_AUTH_SECRETS: `2:${NEW},1:${OLD}` });
  expect(await during.tokenStatus(email)).toBe(200);

  // Step 2: rotate the signing key; the new key is encrypted with the new secret.
  const db = await createDb(during.config);
  // Switching at once (0) stands in for waiting out the usual publish-ahead delay.
  await rotateSigningKey(createAuth(during.config, db), db, jwtPluginOptions(during.config), 0);
  expect(await during.tokenStatus(email)).toBe(200);

  // Step 3 (after the key grace period): the old secret can go.
  const after = deployedWith({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_SECRETS: `2:${NEW}` });
  expect(await after.tokenStatus(email)).toBe(200);
});
