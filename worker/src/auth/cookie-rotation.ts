// Keeps people signed in while BETTER_AUTH_SECRET is rotated. Better Auth signs the session cookie
// with the current secret only, so a cookie signed with the previous one would be refused and its
// owner signed out. During a rotation (BETTER_AUTH_SECRETS lists more than one secret) a session
// cookie that verifies with an older secret is re-signed with the current one: the request reaches
// Better Auth with the re-signed value, and the response sets it, so the browser carries it from then
// on. Cookies that verify with no configured secret are left alone (and refused as before).
import type { Config } from "../config.ts";

const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

export interface SessionCookie {
  name: string;
  attributes: {
    maxAge?: number;
    path?: string;
    domain?: string;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: string;
  };
}

/** Secrets that signed cookies before the current one: the other versions, and the legacy secret. */
function previousSecrets(config: Config): string[] {
  const [current, ...older] = config.betterAuthSecrets;
  if (!current) return [];
  return [...older.map((s) => s.value), config.betterAuthSecret].filter((s) => s !== current.value);
}

function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(secret), HMAC, false, ["sign", "verify"]);
}

async function verifies(value: string, signature: string, secret: string): Promise<boolean> {
  try {
    const bytes = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    return await crypto.subtle.verify(HMAC, await key(secret), bytes, new TextEncoder().encode(value));
  } catch {
    return false;
  }
}

async function sign(value: string, secret: string): Promise<string> {
  const signature = await crypto.subtle.sign(HMAC, await key(secret), new TextEncoder().encode(value));
  return encodeURIComponent(`${value}.${btoa(String.fromCharCode(...new Uint8Array(signature)))}`);
}

function cookieValue(cookieHeader: string, name: string): string | undefined {
  for (const part of cookieHeader.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/**
 * The request with its session cookie re-signed with the current secret, and the Set-Cookie that
 * hands the browser the new value; undefined when there is nothing to re-sign.
 */
export async function resignSessionCookie(
  request: Request,
  cookie: SessionCookie,
  config: Config,
): Promise<{ request: Request; setCookie: string } | undefined> {
  const older = previousSecrets(config);
  const current = config.betterAuthSecrets[0]?.value;
  const header = request.headers.get("Cookie");
  if (!current || !older.length || !header) return undefined;
  const raw = cookieValue(header, cookie.name);
  if (!raw) return undefined;
  const signed = decodeURIComponent(raw);
  const dot = signed.lastIndexOf(".");
  if (dot < 1) return undefined;
  const [value, signature] = [signed.slice(0, dot), signed.slice(dot + 1)];
  if (await verifies(value, signature, current)) return undefined;
  let signedByOlder = false;
  for (const secret of older) if (!signedByOlder && (await verifies(value, signature, secret))) signedByOlder = true;
  if (!signedByOlder) return undefined;

  const resigned = await sign(value, current);
  const headers = new Headers(request.headers);
  headers.set("Cookie", header.replace(`${cookie.name}=${raw}`, `${cookie.name}=${resigned}`));
  const a = cookie.attributes;
  const setCookie = [
    `${cookie.name}=${resigned}`,
    a.maxAge !== undefined ? `Max-Age=${Math.floor(a.maxAge)}` : "",
    a.domain ? `Domain=${a.domain}` : "",
    `Path=${a.path ?? "/"}`,
    a.httpOnly ? "HttpOnly" : "",
    a.secure ? "Secure" : "",
    a.sameSite ? `SameSite=${a.sameSite.charAt(0).toUpperCase()}${a.sameSite.slice(1)}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  return { request: new Request(request, { headers }), setCookie };
}
