// Keeps people signed in while BETTER_AUTH_SECRET is rotated. Better Auth signs the session cookie
// with the current secret and verifies it with that one only, so a cookie signed with the previous
// one would be refused and its owner signed out. During a rotation (BETTER_AUTH_SECRETS lists
// more than one secret) Better Auth's before-hook (better-auth.ts) re-signs such a cookie with the
// current secret, through Better Auth's own cookie functions: the request goes on with the re-signed
// cookie, and the answer sets it, so the browser carries it from then on.
import type { Config } from "../config.ts";

/** What the re-signing uses of a Better Auth hook's context (typed here, checked against it). */
export interface CookieContext {
  context: { secret: string; authCookies: { sessionToken: { name: string; attributes: object } } };
  headers?: Headers | undefined;
  getCookie(name: string): string | null;
  getSignedCookie(name: string, secret: string): Promise<string | false | null>;
  setSignedCookie(name: string, value: string, secret: string, options?: object): Promise<string>;
}

/** Secrets that signed cookies before the current one: the other versions, and the legacy secret. */
export function previousSecrets(config: Config): string[] {
  const [current, ...older] = config.betterAuthSecrets;
  if (!current) return [];
  return [...older.map((s) => s.value), config.betterAuthSecret].filter((s) => s !== current.value);
}

/**
 * The request's headers with its session cookie re-signed with the current secret (the answer gets
 * the matching Set-Cookie), or undefined when there is nothing to re-sign.
 */
export async function resignSessionCookie(ctx: CookieContext, older: readonly string[]): Promise<Headers | undefined> {
  const { name, attributes } = ctx.context.authCookies.sessionToken;
  if (!older.length || !ctx.getCookie(name) || (await ctx.getSignedCookie(name, ctx.context.secret))) return undefined;
  for (const secret of older) {
    const token = await ctx.getSignedCookie(name, secret);
    if (!token) continue;
    const setCookie = await ctx.setSignedCookie(name, token, ctx.context.secret, attributes);
    const resigned = setCookie.split(";")[0] ?? "";
    const headers = new Headers(ctx.headers);
    const cookies = (headers.get("cookie") ?? "").split(";").map((part) => part.trim());
    headers.set("cookie", cookies.map((part) => (part.startsWith(`${name}=`) ? resigned : part)).join("; "));
    return headers;
  }
  return undefined;
}
