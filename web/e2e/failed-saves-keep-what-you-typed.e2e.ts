// When a save fails for good (the server unreachable through every retry), what the user typed is
// not lost: a new todo's text and an edited title wait, word for word, in the banner, and its Retry
// saves each of them once when the server is back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  addTodo,
  launchBrowser,
  NetworkLog,
  newContext,
  newUser,
  settled,
  shot,
  signUp,
  todoApi,
  todoTitles,
} from "./support.ts";

let browser: Browser;
let page: Page;
const log = new NetworkLog();

before(async () => {
  browser = await launchBrowser();
  page = await (await newContext(browser)).newPage();
  log.watch(page, "tab");
  await signUp(page, newUser("Uma"));
  await addTodo(page, "Call the plumber");
  await settled(page, log);
});

after(async () => {
  await browser?.close();
});

test("a failed add and a failed edit keep the typed text, and Retry saves both once the server is back", async () => {
  await page.route(todoApi, (route) => route.abort("connectionrefused"));
  const since = Date.now();
  await addTodo(page, "Buy oat milk");
  await page.getByRole("button", { name: 'Edit "Call the plumber"' }).click();
  await page.getByRole("textbox", { name: 'Edit "Call the plumber"' }).fill("Call the plumber about the leak");
  await page.getByRole("textbox", { name: 'Edit "Call the plumber"' }).press("Enter");

  const banner = page.locator(".banner");
  const expected =
    `Can't reach the server — not saved: add "Buy oat milk", ` +
    `rename "Call the plumber" to "Call the plumber about the leak".`;
  await banner.getByText(expected).waitFor({ timeout: 15_000 });
  // Rolled back (the list shows what the server has), each tried 3 times.
  assert.deepEqual(await todoTitles(page), ["Call the plumber"]);
  await settled(page, log);
  const tries = log.todoCalls(since);
  assert.deepEqual(
    tries.map((e) => `${e.method} ${e.status}`),
    ["POST 0", "POST 0", "POST 0", "PATCH 0", "PATCH 0", "PATCH 0"],
    log.describe(tries),
  );
  await shot(page, "todos-unsaved-changes-banner");

  await page.unroute(todoApi);
  const retriedAt = Date.now();
  await banner.getByRole("button", { name: "Retry" }).click();
  await banner.waitFor({ state: "detached" });
  await page.getByRole("checkbox", { name: "Buy oat milk" }).waitFor();
  assert.deepEqual(await todoTitles(page), ["Call the plumber about the leak", "Buy oat milk"]);
  await settled(page, log);

  // Sent once each; the add under its first Idempotency-Key, so a first try that did land is not doubled.
  const resent = log.todoCalls(retriedAt).filter((e) => e.method !== "GET");
  assert.deepEqual(
    resent.map((e) => `${e.method} ${e.status}`),
    ["POST 201", "PATCH 200"],
    log.describe(log.todoCalls(retriedAt)),
  );
  assert.equal(resent[0]!.idempotencyKey, tries[0]!.idempotencyKey);

  await page.reload();
  await page.getByRole("checkbox", { name: "Buy oat milk" }).waitFor();
  assert.deepEqual(await todoTitles(page), ["Call the plumber about the leak", "Buy oat milk"]);
});
