// Shared e2e helpers: the browser, a network log of what the pages send, screenshots, and the
// sign-up/sign-in steps a person would take. Runs under `npm run test:e2e` (web/e2e/run.ts).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:8791";
export const TOKEN_TTL_MS = Number(process.env.E2E_TOKEN_TTL_SECONDS ?? 5) * 1000;
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "test-artifacts/e2e";

export const STRONG_PASSWORD = "Sup3r-secret";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1024, height: 760 }, ...options });
  context.setDefaultTimeout(10_000);
  return context;
}

/** A fresh, unique account. */
export function newUser(name: string) {
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 8)}@example.com`,
    password: STRONG_PASSWORD,
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The JWT claims the client relies on (no verification: the Worker does that). */
export function jwtClaims(token: string): { sub: string; iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as {
    sub: string;
    iat: number;
    exp: number;
  };
}

export interface Exchange {
  tab: string;
  method: string;
  path: string;
  /** Wall clock when the request left the page. */
  at: number;
  status?: number;
  /** The bearer token the request carried. */
  bearer?: string;
  /** The If-Match (todo version) a PATCH or DELETE carried. */
  ifMatch?: string;
  idempotencyKey?: string;
  /** The token a GET /api/auth/token answered with. */
  issued?: string;
}

/** Every /api request of the pages it watches, with the token sent and the token received. */
export class NetworkLog {
  readonly exchanges: Exchange[] = [];

  watch(page: Page, tab: string): this {
    const pending = new Map<object, Exchange>();
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith("/api/")) return;
      const bearer = request.headers().authorization?.replace(/^Bearer /, "");
      const exchange: Exchange = { tab, method: request.method(), path: url.pathname + url.search, at: Date.now() };
      if (bearer) exchange.bearer = bearer;
      const { "if-match": ifMatch, "idempotency-key": idempotencyKey } = request.headers();
      if (ifMatch) exchange.ifMatch = ifMatch;
      if (idempotencyKey) exchange.idempotencyKey = idempotencyKey;
      pending.set(request, exchange);
      this.exchanges.push(exchange);
    });
    page.on("requestfailed", (request) => {
      const exchange = pending.get(request);
      if (exchange) exchange.status = 0;
    });
    page.on("response", async (response) => {
      const exchange = pending.get(response.request());
      if (!exchange) return;
      exchange.status = response.status();
      if (exchange.path === "/api/auth/token" && response.ok()) {
        exchange.issued = ((await response.json().catch(() => ({}))) as { token?: string }).token;
      }
    });
    return this;
  }

  tokenFetches(since = 0): Exchange[] {
    return this.exchanges.filter((e) => e.path === "/api/auth/token" && e.at >= since);
  }

  todoCalls(since = 0): Exchange[] {
    return this.exchanges.filter((e) => e.path.startsWith("/api/todos") && e.at >= since);
  }

  /** A readable dump for assertion messages. */
  describe(exchanges = this.exchanges): string {
    const t0 = exchanges[0]?.at ?? 0;
    return exchanges
      .map((e) => {
        const token = e.bearer ? ` (token exp ${jwtClaims(e.bearer).exp})` : "";
        const version = e.ifMatch ? ` If-Match ${e.ifMatch}` : "";
        return `${String(e.at - t0).padStart(6)}ms ${e.tab} ${e.method} ${e.path}${version} → ${e.status ?? "…"}${token}`;
      })
      .join("\n");
  }
}

/** Polls `check` until it returns true (or throws its last assertion error after `timeoutMs`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out: ${message}`);
    await sleep(100);
  }
}

export async function signUp(page: Page, user: { name: string; email: string; password: string }): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/todos");
}

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The todo API's requests (not /api/auth): what page.route takes down to make the server unreachable. */
export const todoApi = (url: URL) => url.pathname === "/api/todos" || url.pathname.startsWith("/api/todos/");

export async function addTodo(page: Page, title: string): Promise<void> {
  await page.getByLabel("New todo").fill(title);
  await page.getByLabel("New todo").press("Enter");
}

/** The titles in the list, in order. */
export function todoTitles(page: Page): Promise<string[]> {
  return page.locator(".todo-list .todo-title").allTextContents();
}

/** Waits until every optimistic add is confirmed and every /api request the log saw has an answer, and it stays so. */
export async function settled(page: Page, log: NetworkLog): Promise<void> {
  const idle = async () =>
    (await page.locator(".todo.saving").count()) === 0 && log.exchanges.every((e) => e.status !== undefined);
  // Idle twice, 300 ms apart, with no request in between: the app sends chained requests (complete
  // all, then the list read, then the edits queued behind them) one after another, with a moment
  // between them when none is open.
  await eventually(async () => {
    if (!(await idle())) return false;
    const seen = log.exchanges.length;
    await sleep(300);
    return (await idle()) && log.exchanges.length === seen;
  }, "pending requests to finish");
}
