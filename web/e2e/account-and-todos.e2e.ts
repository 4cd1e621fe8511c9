// The main story in real Chromium: sign up (weak, then strong password) → add, complete,
// edit, delete → outlive the access token (the network log shows the silent refresh) → reload →
// sign out → /todos sends to sign-in → sign in → todos intact → a second user sees none of them.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import {
  addTodo,
  jwtClaims,
  launchBrowser,
  NetworkLog,
  newContext,
  newUser,
  settled,
  shot,
  signIn,
  signUp,
  todoTitles,
} from "./support.ts";

let browser: Browser;
let page: Page;
const log = new NetworkLog();
const pageErrors: string[] = [];
const ada = newUser("Ada");

before(async () => {
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  log.watch(page, "tab");
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

after(async () => {
  writeFileSync(join(process.env.E2E_ARTIFACTS ?? ".", "network-main-story.txt"), log.describe());
  await browser?.close();
});

const itemsLeft = () => page.locator(".count").textContent();
const checkbox = (title: string) => page.getByRole("checkbox", { name: title, exact: true });

test("/ sends a visitor to sign-in", async () => {
  await page.goto("/");
  await page.waitForURL("**/sign-in");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await shot(page, "sign-in");
});

test("sign-up: the checklist ticks live, a weak password is refused in words, a strong one signs in", async () => {
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL("**/sign-up");
  await page.getByLabel("Name").fill(ada.name);
  await page.getByLabel("Email").fill(ada.email);
  const password = page.getByLabel("Password", { exact: true });
  await password.fill("weakpass");
  const ticked = () =>
    page.locator(".checklist li.met").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-rule")));
  assert.deepEqual(await ticked(), ["length", "lowercase"]);

  await page.getByRole("button", { name: "Show password" }).click();
  assert.equal(await password.getAttribute("type"), "text");
  await page.getByRole("button", { name: "Hide password" }).click();
  assert.equal(await password.getAttribute("type"), "password");

  await page.getByRole("button", { name: "Sign up" }).click();
  const alert = page.locator(".form-alert .error");
  await alert.waitFor();
  assert.equal(await alert.textContent(), "Password must contain an uppercase letter and a number.");
  assert.equal(await password.getAttribute("aria-invalid"), "true");
  assert.ok(page.url().endsWith("/sign-up"));
  await shot(page, "sign-up-weak-password");

  await password.fill(ada.password);
  assert.equal(await page.locator(".checklist li.met").count(), 4);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/todos");
  await page.locator(".user-name", { hasText: ada.name }).waitFor();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
});

test("todos: add (trimmed, empty ignored), complete, filter, edit, cancel, delete", async () => {
  await page.getByText("Nothing to do yet").waitFor();
  await shot(page, "todos-empty");

  await addTodo(page, "  Buy milk  ");
  await addTodo(page, "   ");
  for (const title of ["Walk the dog", "Write report", "Call mum"]) await addTodo(page, title);
  await settled(page, log);
  assert.deepEqual(await todoTitles(page), ["Buy milk", "Walk the dog", "Write report", "Call mum"]);
  assert.equal(log.exchanges.filter((e) => e.method === "POST" && e.path === "/api/todos").length, 4);
  assert.equal(await itemsLeft(), "4 items left");
  assert.equal(await page.getByRole("button", { name: "Clear completed" }).count(), 0);

  await checkbox("Buy milk").check();
  assert.equal(await itemsLeft(), "3 items left");
  await page.getByRole("button", { name: "Clear completed" }).waitFor();

  await page.getByRole("link", { name: "Active" }).click();
  await page.waitForURL("**/todos?filter=active");
  assert.deepEqual(await todoTitles(page), ["Walk the dog", "Write report", "Call mum"]);
  assert.equal(await page.getByRole("link", { name: "Active" }).getAttribute("aria-current"), "page");
  await page.getByRole("link", { name: "Completed" }).click();
  await page.waitForURL("**/todos?filter=completed");
  assert.deepEqual(await todoTitles(page), ["Buy milk"]);
  await page.getByRole("link", { name: "All" }).click();
  await page.waitForURL(/\/todos$/);

  // Double-click to edit; Enter saves.
  await page.locator(".todo-title", { hasText: "Walk the dog" }).dblclick();
  const editor = page.getByRole("textbox", { name: 'Edit "Walk the dog"' });
  await editor.fill("Walk the dog twice");
  await editor.press("Enter");
  await checkbox("Walk the dog twice").waitFor();
  // The Edit button; Esc cancels.
  await page.getByRole("button", { name: 'Edit "Write report"' }).click();
  await page.getByRole("textbox", { name: 'Edit "Write report"' }).fill("Something else");
  await page.getByRole("textbox", { name: 'Edit "Write report"' }).press("Escape");
  assert.ok(await checkbox("Write report").isVisible());
  // Blur saves.
  await page.getByRole("button", { name: 'Edit "Write report"' }).click();
  await page.getByRole("textbox", { name: 'Edit "Write report"' }).fill("Write the report");
  await page.getByLabel("New todo").focus();
  await checkbox("Write the report").waitFor();
  // An empty title deletes.
  await page.getByRole("button", { name: 'Edit "Call mum"' }).click();
  await page.getByRole("textbox", { name: 'Edit "Call mum"' }).fill("");
  await page.getByRole("textbox", { name: 'Edit "Call mum"' }).press("Enter");
  // The Delete button.
  await addTodo(page, "Old task");
  await settled(page, log);
  await page.getByRole("button", { name: 'Delete "Old task"' }).click();
  await settled(page, log);
  assert.deepEqual(await todoTitles(page), ["Buy milk", "Walk the dog twice", "Write the report"]);

  // Complete all, then back; Clear completed.
  await page.getByRole("button", { name: "Complete all" }).click();
  assert.equal(await itemsLeft(), "0 items left");
  await page.getByRole("button", { name: "Mark all active" }).click();
  assert.equal(await itemsLeft(), "3 items left");
  await checkbox("Buy milk").check();
  await addTodo(page, "Throw away");
  await settled(page, log);
  await checkbox("Throw away").check();
  assert.equal(await itemsLeft(), "2 items left");
  await settled(page, log);
  await page.getByRole("button", { name: "Clear completed" }).click();
  await settled(page, log);
  assert.deepEqual(await todoTitles(page), ["Walk the dog twice", "Write the report"]);
  assert.equal(await page.getByRole("button", { name: "Clear completed" }).count(), 0);
  await checkbox("Write the report").check();
  assert.equal(await itemsLeft(), "1 item left");
  await settled(page, log);
  assert.equal(await page.locator("[role=alert] .error, .notice.error").count(), 0, "no change was refused");
  await shot(page, "todos");
});

test("outlives the access token: refreshed silently before it expires, nothing fails", async () => {
  const [first] = log.tokenFetches();
  assert.ok(first?.issued, "the first token was fetched");
  const firstExpiresAt = jwtClaims(first.issued).exp * 1000;
  // Wait past the first token's lifetime (and past the Worker's 5 s clock tolerance), then keep working.
  const wait = firstExpiresAt + 5_500 - Date.now();
  if (wait > 0) await sleep(wait);
  const resumedAt = Date.now();
  await addTodo(page, "After the token expired");
  await checkbox("Write the report").uncheck();
  await settled(page, log);

  const refreshes = log.tokenFetches().filter((e) => e.at > first.at);
  assert.ok(
    refreshes.some((e) => e.at < firstExpiresAt && e.status === 200),
    `a new token was fetched before the first one expired:\n${log.describe()}`,
  );
  const later = log.todoCalls(resumedAt);
  assert.ok(later.length >= 2);
  for (const call of later) {
    assert.ok(call.bearer && call.bearer !== first.issued, "requests after the wait carry a newer token");
    assert.ok(
      jwtClaims(call.bearer).exp * 1000 > call.at,
      `${call.method} ${call.path} was sent with an unexpired token`,
    );
    assert.notEqual(call.status, 401);
  }
  assert.deepEqual(
    log.todoCalls().filter((e) => e.status === 401),
    [],
    "the app never sent an expired token to the todo API",
  );
  assert.deepEqual(await todoTitles(page), ["Walk the dog twice", "Write the report", "After the token expired"]);
});

test("tokens live in memory only: nothing in localStorage or sessionStorage", async () => {
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  assert.ok(!stored.includes("eyJ"), `no JWT in web storage: ${stored}`);
});

test("reload: still signed in, same todos", async () => {
  const before = await todoTitles(page);
  await page.reload();
  await page.waitForURL("**/todos");
  await checkbox("After the token expired").waitFor();
  assert.deepEqual(await todoTitles(page), before);
  await page.locator(".user-name", { hasText: ada.name }).waitFor();
});

test("sign out → /todos redirects to sign-in → sign in → todos intact", async () => {
  const before = await todoTitles(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  assert.equal(await page.locator(".user-name").count(), 0);

  await page.goto("/todos");
  await page.waitForURL("**/sign-in?redirect=%2Ftodos");
  await page.getByRole("link", { name: "Create an account" }).waitFor();

  await signIn(page, { email: ada.email, password: "Wrong-passw0rd" });
  await page.getByText("Invalid email or password.").waitFor();
  await signIn(page, ada);
  await page.waitForURL("**/todos");
  await checkbox("After the token expired").waitFor();
  assert.deepEqual(await todoTitles(page), before);
});

test("a second user sees none of the first user's todos", async () => {
  const context = await newContext(browser);
  const other = await context.newPage();
  const otherLog = new NetworkLog().watch(other, "grace");
  await signUp(other, newUser("Grace"));
  await other.getByText("Nothing to do yet").waitFor();
  const list = otherLog.todoCalls().find((e) => e.method === "GET");
  assert.equal(list?.status, 200);
  assert.equal(await other.locator(".todo").count(), 0);
  await shot(other, "todos-second-user");
  await context.close();
});

test("no uncaught errors in the page", () => {
  assert.deepEqual(pageErrors, []);
});
