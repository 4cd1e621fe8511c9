// Optimistic concurrency in real Chromium against the real Worker: one tab's quick edits build on
// each other's versions (also while a todo's create is still on its way, and after Complete all),
// and a second tab can never silently overwrite the first: its edit made on an outdated copy is
// refused, it shows the other tab's version, and the user's text is offered back.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
  signUp,
  todoTitles,
} from "./support.ts";

let browser: Browser;
let context: BrowserContext;
let first: Page;
let second: Page;
const log = new NetworkLog();
const pageErrors: string[] = [];

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  first = await context.newPage();
  log.watch(first, "tab A");
  first.on("pageerror", (error) => pageErrors.push(error.message));
  await signUp(first, newUser("Vera"));
  await addTodo(first, "Shared todo");
  await settled(first, log);
});

after(async () => {
  writeFileSync(join(process.env.E2E_ARTIFACTS ?? ".", "network-edit-conflicts.txt"), log.describe());
  await browser?.close();
});

/** Headless Chromium throttles the animation frames of a tab in the background, which Playwright's
 * actions wait for: bring the tab acted in to the front, as a person would. */
async function inTab(page: Page): Promise<Page> {
  await page.bringToFront();
  return page;
}
const checkbox = (page: Page, title: string) => page.getByRole("checkbox", { name: title, exact: true });
const editor = (page: Page, title: string) => page.getByRole("textbox", { name: `Edit "${title}"` });

test("one tab's quick edits each build on the version the last one made: no edit of its own is refused", async () => {
  const since = Date.now();
  // Hold the create, so the edits below are made while it is on its way.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const todoList = (url: URL) => url.pathname === "/api/todos";
  await first.route(todoList, async (route) => {
    if (route.request().method() === "POST") await held;
    await route.fallback();
  });
  await addTodo(first, "Draft");
  await first.locator(".todo.saving").waitFor();
  await first.getByRole("button", { name: 'Edit "Draft"' }).click();
  await editor(first, "Draft").fill("Draft, renamed");
  await editor(first, "Draft").press("Enter");
  await checkbox(first, "Draft, renamed").check();
  release();
  await settled(first, log);
  await first.unroute(todoList);

  // Complete all changes "Shared todo" (and its version); the rename right behind it builds on that.
  await first.getByRole("button", { name: "Complete all" }).click();
  await first.getByRole("button", { name: 'Edit "Shared todo"' }).click();
  await editor(first, "Shared todo").fill("Shared, renamed after Complete all");
  await editor(first, "Shared todo").press("Enter");
  await settled(first, log);

  const writes = log.todoCalls(since).filter((e) => e.method === "PATCH");
  const dump = `\n${log.describe(log.todoCalls(since))}`;
  assert.deepEqual(
    writes.map((e) => [e.status, e.ifMatch]),
    [
      [200, '"1"'], // Draft: renamed, sent once its create had made version 1
      [200, '"2"'], // Draft: ticked, on the rename's version
      [200, '"2"'], // Shared todo: version 1, then 2 by Complete all
    ],
    `every edit carried the version the change before it made:${dump}`,
  );
  assert.equal(await first.locator(".notice.error").count(), 0, "nothing was refused");

  await first.reload();
  await checkbox(first, "Draft, renamed").waitFor();
  assert.deepEqual(await todoTitles(first), ["Shared, renamed after Complete all", "Draft, renamed"]);
  assert.equal(await first.locator(".count").textContent(), "0 items left");
});

test("two tabs edit one todo: tab A saves, tab B's outdated edit is refused, B shows A's title and offers B's text back", async () => {
  second = await context.newPage();
  log.watch(second, "tab B");
  second.on("pageerror", (error) => pageErrors.push(error.message));
  await second.goto("/todos");
  await checkbox(second, "Shared, renamed after Complete all").waitFor();
  await settled(second, log);

  // Tab A renames the todo and saves; tab B, which has not heard of it, renames it too.
  await inTab(first);
  await first.getByRole("button", { name: 'Edit "Shared, renamed after Complete all"' }).click();
  await editor(first, "Shared, renamed after Complete all").fill("Tab A's title");
  await editor(first, "Shared, renamed after Complete all").press("Enter");
  await settled(first, log);

  const since = Date.now();
  await inTab(second);
  await second.getByRole("button", { name: 'Edit "Shared, renamed after Complete all"' }).click();
  await editor(second, "Shared, renamed after Complete all").fill("Tab B's title");
  await editor(second, "Shared, renamed after Complete all").press("Enter");
  const notice = second.locator(".notice.error");
  await notice.waitFor();
  assert.equal(
    (await notice.locator("span").first().textContent())?.trim(),
    `Couldn't rename "Shared, renamed after Complete all": This todo was changed in another tab or device; ` +
      `here is the latest version — your change was not saved. Your text: "Tab B's title".`,
  );
  await checkbox(second, "Tab A's title").waitFor();
  assert.deepEqual(await todoTitles(second), ["Tab A's title", "Draft, renamed"]);
  await settled(second, log);
  const calls = log.todoCalls(since).filter((e) => e.tab === "tab B");
  assert.deepEqual(
    calls.map((e) => [e.method, e.status]),
    [
      ["PATCH", 412],
      ["GET", 200],
    ],
    `refused once, not retried, then the latest version read:\n${log.describe(calls)}`,
  );
  await shot(second, "todos-edit-refused-changed-in-other-tab");

  // The user's text is not lost: back in the editor on request, and saved on purpose this time.
  await second.getByRole("button", { name: "Edit again with my text" }).click();
  assert.equal(await editor(second, "Tab A's title").inputValue(), "Tab B's title");
  await editor(second, "Tab A's title").press("Enter");
  await checkbox(second, "Tab B's title").waitFor();
  await settled(second, log);
  assert.equal(log.todoCalls(since).at(-1)?.status, 200);

  await (await inTab(first)).reload();
  await checkbox(first, "Tab B's title").waitFor();
});

test("a todo deleted in one tab: the other tab's change finds it gone and drops it from the list", async () => {
  await first.getByRole("button", { name: 'Delete "Draft, renamed"' }).click();
  await settled(first, log);

  // click, not uncheck(): uncheck() waits to see the box unchecked, and the app may already have
  // rolled it back or dropped it (the point of this test) by the time it looks.
  await (await inTab(second)).getByRole("checkbox", { name: "Draft, renamed", exact: true }).click();
  await second.getByText(`Couldn't update "Draft, renamed": That item no longer exists.`, { exact: false }).waitFor();
  await checkbox(second, "Draft, renamed").waitFor({ state: "detached" });
  assert.deepEqual(await todoTitles(second), ["Tab B's title"]);
});

test("no uncaught errors in either tab", () => {
  assert.deepEqual(pageErrors, []);
});
