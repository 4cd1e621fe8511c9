// Two tabs of one signed-in user share each token refresh: per token lifetime one GET
// /api/auth/token for both, and both tabs then send the same token. Signing out in one tab signs
// the other out too.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  addTodo,
  eventually,
  launchBrowser,
  NetworkLog,
  newContext,
  newUser,
  settled,
  shot,
  signUp,
  TOKEN_TTL_MS,
} from "./support.ts";

let browser: Browser;
let context: BrowserContext;
let first: Page;
let second: Page;
const log = new NetworkLog();

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  first = await context.newPage();
  log.watch(first, "tab 1");
  await signUp(first, newUser("Tabby"));
  await addTodo(first, "Shared between tabs");
  second = await context.newPage();
  log.watch(second, "tab 2");
  await second.goto("/todos");
  await second.getByRole("checkbox", { name: "Shared between tabs" }).waitFor();
  await settled(first, log);
  await settled(second, log);
});

after(async () => {
  writeFileSync(join(process.env.E2E_ARTIFACTS ?? ".", "network-two-tabs.txt"), log.describe());
  await browser?.close();
});

test("two open tabs make one refresh call per token lifetime, and use the same token", async () => {
  const since = Date.now();
  await sleep(TOKEN_TTL_MS * 3);
  await eventually(() => log.exchanges.every((e) => e.status !== undefined), "token requests to finish");

  const refreshes = log.tokenFetches(since);
  const dump = () => `\n${log.describe(log.exchanges.filter((e) => e.at >= since))}`;
  // A refresh at ~80% of each lifetime: about 3 in 3 lifetimes, made by one tab or the other.
  assert.ok(refreshes.length >= 2, `tokens were refreshed while the tabs sat open:${dump()}`);
  assert.ok(refreshes.length <= 4, `at most one refresh per lifetime, not one per tab:${dump()}`);
  for (let i = 1; i < refreshes.length; i++) {
    const gap = refreshes[i]!.at - refreshes[i - 1]!.at;
    assert.ok(
      gap > TOKEN_TTL_MS * 0.5,
      `refreshes are a lifetime apart, never two for one expiry (gap ${gap} ms):${dump()}`,
    );
  }

  // Right after the next refresh, both tabs act: both send the token that one refresh fetched.
  const count = log.tokenFetches().length;
  await eventually(
    () => log.tokenFetches().length > count && log.tokenFetches().at(-1)!.issued !== undefined,
    "the next refresh",
  );
  const latest = log.tokenFetches().at(-1)!;
  await sleep(300);
  const sentAt = Date.now();
  await Promise.all([
    addTodo(second, "Added in tab 2"),
    first.getByRole("checkbox", { name: "Shared between tabs" }).check(),
  ]);
  await settled(first, log);
  await settled(second, log);
  const calls = log.todoCalls(sentAt);
  assert.deepEqual(new Set(calls.map((c) => c.tab)), new Set(["tab 1", "tab 2"]));
  for (const call of calls) {
    assert.equal(call.bearer, latest.issued, `${call.tab} sent the token ${latest.tab} fetched:${dump()}`);
  }
  await shot(second, "todos-second-tab");
});

test("signing out in one tab shows sign-in in the other", async () => {
  await first.getByRole("button", { name: "Sign out" }).click();
  await first.waitForURL("**/sign-in");
  await second.waitForURL(/\/sign-in/);
  assert.equal(await second.locator(".todo").count(), 0);
  assert.equal(await second.locator(".user-name").count(), 0);
});
