// Every page at 360 px wide in the dark theme without sideways scrolling, the todo list driven by
// keyboard alone with a visible focus ring, and the 404 page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, NetworkLog, newContext, newUser, settled, shot, signUp } from "./support.ts";

let browser: Browser;
let page: Page;
const log = new NetworkLog();

before(async () => {
  browser = await launchBrowser();
  const context = await newContext(browser, { viewport: { width: 360, height: 740 }, colorScheme: "dark" });
  page = await context.newPage();
  log.watch(page, "phone");
});

after(async () => {
  await browser?.close();
});

async function assertFitsWidth(name: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${name}: no horizontal scroll at 360 px (${scrollWidth} > ${clientWidth})`);
}

test("sign-in and sign-up fit 360 px, dark theme", async () => {
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(17, 21, 19)", "prefers-color-scheme: dark gives the dark theme");
  await assertFitsWidth("sign-in");
  await shot(page, "sign-in-360-dark");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Password", { exact: true }).fill("Almost1");
  await assertFitsWidth("sign-up");
  await shot(page, "sign-up-360-dark");
});

test("todos by keyboard alone at 360 px, with visible focus", async () => {
  await signUp(page, newUser("Kim"));
  const input = page.getByLabel("New todo");
  await input.focus();
  await page.keyboard.type("A todo with a rather long title that has to wrap on a small phone screen");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Second");
  await page.keyboard.press("Enter");
  await page.getByRole("checkbox", { name: "Second" }).waitFor();
  await settled(page, log);

  // Tab from the input: Add, Complete all, the three filters, then the first todo's checkbox.
  await input.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return {
      type: (el as HTMLInputElement).type,
      outline: getComputedStyle(el).outlineStyle,
      width: getComputedStyle(el).outlineWidth,
    };
  });
  assert.equal(focused.type, "checkbox");
  assert.notEqual(focused.outline, "none", "keyboard focus is visible");
  await page.keyboard.press("Space");
  await page.locator(".count", { hasText: "1 item left" }).waitFor();

  // Edit with Enter on the Edit button, save with Enter.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.keyboard.press("End");
  await page.keyboard.type(" (edited)");
  await page.keyboard.press("Enter");
  await page.getByRole("checkbox", { name: /\(edited\)$/ }).waitFor();
  await settled(page, log);
  await assertFitsWidth("todos");
  await shot(page, "todos-360-dark");
});

test("an unknown path shows the 404 page", async () => {
  await page.goto("/no/such/page");
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await page.getByRole("link", { name: "Go to your todos" }).waitFor();
  await assertFitsWidth("404");
  await shot(page, "not-found-360-dark");
});
