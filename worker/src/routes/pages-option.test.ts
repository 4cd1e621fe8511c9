// The Pages option: the web app on https://app.example.com (Cloudflare Pages) calls the Worker on
// https://api.example.com, a sibling subdomain of the same site. Credentialed CORS for that one
// origin only, a Secure, httpOnly, SameSite=Lax host-only cookie, and tokens issued for the API origin.
import { env } from "cloudflare:test";
import { decodeJwt } from "jose";
import { expect, test } from "vitest";
import { callWith, freshIp, STRONG_PASSWORD, uniqueEmail } from "../../test/client.ts";

const API = "https://api.example.com";
const APP = "https://app.example.com";
const deployed = { ...env, PUBLIC_BASE_URL: API, TRUSTED_ORIGINS: APP };

function fetchApi(path: string, init: RequestInit = {}) {
  return callWith(deployed, new Request(`${API}${path}`, init));
}

function expectCorsFor(res: Response, origin: string) {
  expect(res.headers.get("Access-Control-Allow-Origin")).toBe(origin);
  expect(res.headers.get("Access-Control-Allow-Credentials")).toBe("true");
  expect(res.headers.get("Vary")).toMatch(/Origin/);
}

test("the Pages site signs up, gets tokens and calls the API across origins", async () => {
  const preflight = await fetchApi("/api/auth/sign-up/email", {
    method: "OPTIONS",
    headers: { Origin: APP, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
  });
  expect(preflight.status).toBe(204);
  expectCorsFor(preflight, APP);

  const email = uniqueEmail("pages");
  const signUp = await fetchApi("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: APP, "cf-connecting-ip": freshIp() },
    body: JSON.stringify({ name: "Pages", email, password: STRONG_PASSWORD }),
  });
  expect(signUp.status).toBe(200);
  expectCorsFor(signUp, APP);
  const setCookie = signUp.headers.getSetCookie().find((c) => c.includes("session_token="))!;
  expect(setCookie).toMatch(/^__Secure-/);
  expect(setCookie).toMatch(/; Secure/i);
  expect(setCookie).toMatch(/; HttpOnly/i);
  expect(setCookie).toMatch(/; SameSite=Lax/i);
  // Host-only: the cookie goes to api.example.com and nowhere else.
  expect(setCookie).not.toMatch(/; Domain=/i);
  const cookie = setCookie.split(";")[0]!;

  const tokenRes = await fetchApi("/api/auth/token", { headers: { Cookie: cookie, Origin: APP } });
  expect(tokenRes.status).toBe(200);
  expectCorsFor(tokenRes, APP);
  const { token } = (await tokenRes.json()) as { token: string };
  expect(decodeJwt(token)).toMatchObject({ iss: API, aud: API });

  const todos = await fetchApi("/api/todos", { headers: { Authorization: `Bearer ${token}`, Origin: APP } });
  expect(todos.status).toBe(200);
  expectCorsFor(todos, APP);
});

test("credentials are allowed for the configured origin only", async () => {
  for (const origin of ["https://evil.example", "https://other.example.com", "http://app.example.com"]) {
    const signIn = await fetchApi("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: origin, "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ email: uniqueEmail(), password: STRONG_PASSWORD }),
    });
    expect(signIn.status, origin).toBe(403);
    expect(signIn.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(signIn.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  }
});
