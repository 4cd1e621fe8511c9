// When the session itself is gone (the refresh gets a 401), the app says so on the sign-in page and
// gives the user back what they were typing once they sign in again. And when the server cannot be
// reached, requests are retried, then a banner offers Retry, which sends the change again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  addTodo,
  launchBrowser,
  NetworkLog,
  newContext,
  newUser,
  settled,
  shot,
  signIn,
  signUp,
  TOKEN_TTL_MS,
} from "./support.ts";

let browser: Browser;
let context: BrowserContext;
let page: Page;
const log = new NetworkLog();
const user = newUser("Sam");

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  log.watch(page, "tab");
  await signUp(page, user);
});

after(async () => {
  await browser?.close();
});

test("expired session: sign-in says so, and the unsaved todo text is restored after signing in", async () => {
  await addTodo(page, "Saved before");
  await page.getByRole("checkbox", { name: "Saved before" }).waitFor();
  await settled(page, log);
  await page.getByLabel("New todo").fill("Unsaved idea");

  // The session ends (as when it is revoked or runs out): the browser loses its session cookie.
  await context.clearCookies();
  // The next silent refresh (at ~80% of the token's lifetime) learns that the session is gone.
  await page.waitForURL("**/sign-in?redirect=%2Ftodos", { timeout: TOKEN_TTL_MS + 5_000 });
  await page.getByText("Your session has expired, please sign in again.").waitFor();
  assert.equal(await page.locator(".user-name").count(), 0);
  assert.ok(log.tokenFetches().some((e) => e.status === 401));
  await shot(page, "sign-in-session-expired");

  await signIn(page, user);
  await page.waitForURL("**/todos");
  await page.getByRole("checkbox", { name: "Saved before" }).waitFor();
  assert.equal(await page.getByLabel("New todo").inputValue(), "Unsaved idea");
  await page.getByText("We kept what you were typing").waitFor();
  await page.getByLabel("New todo").press("Enter");
  await page.getByRole("checkbox", { name: "Unsaved idea" }).waitFor();
  await settled(page, log);
});

test("server unreachable: the change is retried, rolled back with a message, and the banner's Retry re-sends it", async () => {
  await page.route("**/api/todos/**", (route) => route.abort("connectionrefused"));
  const since = Date.now();
  await page.getByRole("button", { name: "Complete all" }).click();
  await page.getByText("Can't reach the server — not saved: complete all.").waitFor({ timeout: 15_000 });
  await page.getByText(`Couldn't complete all todos: Can't reach the server.`, { exact: false }).waitFor();
  // Rolled back: nothing shows as done that the server did not record.
  assert.equal(await page.locator(".count").textContent(), "2 items left");
  const attempts = log.exchanges.filter((e) => e.at >= since && e.path === "/api/todos/complete-all");
  assert.equal(attempts.length, 3, "tried 3 times");
  await shot(page, "todos-server-unreachable");

  await page.unroute("**/api/todos/**");
  await page.getByRole("button", { name: "Retry" }).click();
  await page.getByText("Can't reach the server —").waitFor({ state: "detached" });
  await page.locator(".count", { hasText: "0 items left" }).waitFor();
  await settled(page, log);
  assert.equal(
    log.exchanges.filter((e) => e.at >= since && e.path === "/api/todos/complete-all" && e.status === 200).length,
    1,
  );
});
