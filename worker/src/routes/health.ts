// GET /api/health: 200 once a real query succeeds, 503 when the database cannot answer.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { toAppError } from "../errors.ts";

export const healthRoutes = new Hono<AppEnv>().get("/", async (c) => {
  try {
    await c.var.db.execute(sql`select 1`);
  } catch (err) {
    const error = toAppError(err, c.var.requestId);
    const body = { ...error.toBody(), status: "error", db: "unreachable" };
    if (error.errorType === "service_unavailable") return c.json(body, 503, error.headers);
    throw err;
  }
  return c.json({ status: "ok", db: "ok" });
});
