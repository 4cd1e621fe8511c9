// GET /api/health: 200 once a real query succeeds, 503 when the database cannot answer. On success
// Server-Timing names the driver that ran the query (neon-http, or node-postgres through Hyperdrive)
// and its time, so a deployment shows which path it is on (db/driver-selection.test.ts relies on it).
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import * as z from "zod";
import { dbDriver } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { toAppError } from "../errors.ts";
import { describeRoute, jsonResponse } from "../openapi/describe.ts";
import { ErrorBody } from "../openapi/error-body.ts";

const Healthy = z.object({ status: z.literal("ok"), db: z.literal("ok") });
const Unhealthy = ErrorBody.extend({ status: z.literal("error"), db: z.literal("unreachable") });

export const healthRoutes = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    operationId: "getHealth",
    summary: "Health check",
    description: "Runs a real query against the database.",
    responses: {
      200: jsonResponse("The Worker and its database answer", Healthy),
      503: jsonResponse("The database is unreachable", Unhealthy, ["Retry-After"]),
    },
  }),
  async (c) => {
    const started = performance.now();
    try {
      await c.var.db.execute(sql`select 1`);
    } catch (err) {
      const error = toAppError(err, c.var.requestId);
      const body = { ...error.toBody(), status: "error", db: "unreachable" } satisfies z.output<typeof Unhealthy>;
      if (error.errorType === "service_unavailable") return c.json(body, 503, error.headers);
      throw err;
    }
    c.header("Server-Timing", `db;desc="${dbDriver(c.var.db)}";dur=${(performance.now() - started).toFixed(1)}`);
    return c.json({ status: "ok", db: "ok" } satisfies z.output<typeof Healthy>);
  },
);
