// A minimal client for the bench's sequential requests: Better Auth sign-up and sign-in with the
// session cookie, access tokens, and the todo routes in each way of authenticating.

/** How a todo request is authenticated, and so which routes it goes to (bench/worker.ts). */
export type Variant = "jwt" | "session" | "benchJwt" | "bypass";

export const VARIANT_PREFIX: Record<Variant, string> = {
  jwt: "/api", // production routes: Authorization: Bearer <access JWT>
  session: "/__bench/session", // Better Auth getSession from the cookie on every request
  benchJwt: "/__bench/jwt", // production requireJwt on the bench chain (for the overhead ratio)
  bypass: "/__bench/bypass", // no check at all (for the overhead ratio)
};

export const PASSWORD = "Bench-Passw0rd";

export interface Identity {
  email: string;
  userId: string;
  cookie: string;
  token: string;
}

type Init = { headers?: Record<string, string>; body?: unknown };

export class BenchClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Throws unless the answer has the expected status; returns its JSON body. */
  async expect<T = unknown>(status: number, method: string, path: string, init: Init = {}) {
    const headers: Record<string, string> = { Origin: this.baseUrl, ...init.headers };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    if (res.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text.slice(0, 300)}`);
    return { body: (text ? JSON.parse(text) : undefined) as T, res };
  }

  async signUp(email: string): Promise<{ cookie: string; userId: string }> {
    const { body, res } = await this.expect<{ user: { id: string } }>(200, "POST", "/api/auth/sign-up/email", {
      body: { name: "Bench User", email, password: PASSWORD },
    });
    return { cookie: sessionCookie(res), userId: body.user.id };
  }

  async signIn(email: string): Promise<string> {
    const { res } = await this.expect(200, "POST", "/api/auth/sign-in/email", { body: { email, password: PASSWORD } });
    return sessionCookie(res);
  }

  async token(cookie: string): Promise<string> {
    const { body } = await this.expect<{ token: string }>(200, "GET", "/api/auth/token", {
      headers: { Cookie: cookie },
    });
    return body.token;
  }

  /** A fresh user with a session cookie and an access token. */
  async newIdentity(label: string): Promise<Identity> {
    const email = uniqueEmail(label);
    const { cookie, userId } = await this.signUp(email);
    return { email, userId, cookie, token: await this.token(cookie) };
  }
}

/** The headers that authenticate `who` in a variant. */
export function authHeaders(variant: Variant, who: Identity): Record<string, string> {
  if (variant === "session") return { Cookie: who.cookie };
  if (variant === "bypass") return { "X-Bench-User": who.userId };
  return { Authorization: `Bearer ${who.token}` };
}

let emailCounter = 0;
export function uniqueEmail(label: string): string {
  return `bench-${label}-${Date.now().toString(36)}-${process.pid}-${++emailCounter}@example.com`;
}

/** `name=value` of every cookie the response sets, as a Cookie header. */
function sessionCookie(res: Response): string {
  const cookies = res.headers.getSetCookie().map((line) => line.split(";")[0]!);
  if (!cookies.length) throw new Error(`${res.url}: no Set-Cookie in the response`);
  return cookies.join("; ");
}
