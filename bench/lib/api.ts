// A minimal client for the bench's sequential requests: Better Auth sign-up/sign-in with the
// session cookie, access tokens, and the todo routes in each authentication variant.

/** How a todo request is authenticated, and so which routes it goes to. */
export type Variant = "jwt" | "session" | "benchJwt" | "bypass";

export const VARIANT_PREFIX: Record<Variant, string> = {
  jwt: "/api", // production routes: Authorization: Bearer <access JWT>
  session: "/__bench/session", // Better Auth getSession from the cookie on every request
  benchJwt: "/__bench/jwt", // production requireJwt on the bench chain (for the overhead ratio)
  bypass: "/__bench/bypass", // no check at all (for the overhead ratio)
};

export interface Identity {
  email: string;
  password: string;
  userId: string;
  cookie: string;
  token: string;
}

export class BenchClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Origin: this.baseUrl, ...init.headers };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  /** Like request(), but throws unless the status is the expected one; returns the JSON body. */
  async expect<T = unknown>(
    status: number,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ body: T; res: Response }> {
    const res = await this.request(method, path, init);
    const text = await res.text();
    if (res.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text.slice(0, 300)}`);
    return { body: (text ? JSON.parse(text) : undefined) as T, res };
  }

  async signUp(email: string, password: string): Promise<{ cookie: string; userId: string }> {
    const { body, res } = await this.expect<{ user: { id: string } }>(200, "POST", "/api/auth/sign-up/email", {
      body: { name: "Bench User", email, password },
    });
    return { cookie: sessionCookie(res), userId: body.user.id };
  }

  async signIn(email: string, password: string): Promise<string> {
    const { res } = await this.expect(200, "POST", "/api/auth/sign-in/email", { body: { email, password } });
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
    const password = "Bench-Passw0rd";
    const { cookie, userId } = await this.signUp(email, password);
    return { email, password, userId, cookie, token: await this.token(cookie) };
  }
}

/** The headers that authenticate `who` in a variant. */
export function authHeaders(variant: Variant, who: Identity): Record<string, string> {
  switch (variant) {
    case "jwt":
    case "benchJwt":
      return { Authorization: `Bearer ${who.token}` };
    case "session":
      return { Cookie: who.cookie };
    case "bypass":
      return { "X-Bench-User": who.userId };
  }
}

let emailCounter = 0;
export function uniqueEmail(label: string): string {
  return `bench-${label}-${Date.now().toString(36)}-${process.pid}-${++emailCounter}@example.com`;
}

/** `name=value` of every cookie the response sets, as a Cookie header. */
export function sessionCookie(res: Response): string {
  const cookies = res.headers.getSetCookie().map((line) => line.split(";")[0] as string);
  if (!cookies.length) throw new Error(`${res.url}: no Set-Cookie in the response`);
  return cookies.join("; ");
}
