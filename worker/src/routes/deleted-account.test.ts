// An access token outlives its account by up to its lifetime (it is checked without a query). What
// such a token can still do: create nothing (401, not the foreign key's 500), and see nothing.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { apiCall, errorBody, signedInUser } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { closeDb, createDb } from "../db/client.ts";
import { user } from "../db/schema/index.ts";

test("a token whose account was deleted creates nothing: 401, the account no longer exists", async () => {
  const { id, token } = await signedInUser();
  expect((await apiCall(token, "POST", "/api/todos", { title: "before" })).status).toBe(201);

  const db = await createDb(getConfig(env), env);
  try {
    await db.delete(user).where(eq(user.id, id));
  } finally {
    await closeDb(db);
  }

  const res = await apiCall(token, "POST", "/api/todos", { title: "after" });
  expect(res.status).toBe(401);
  expect(res.headers.get("WWW-Authenticate")).toContain("invalid_token");
  expect(await errorBody(res)).toEqual({
    detail: "This account no longer exists",
    status_code: 401,
    error_type: "authentication_error",
  });
  // Its todos went with it.
  expect(await (await apiCall(token, "GET", "/api/todos")).json()).toEqual({ items: [], nextCursor: null });
});
