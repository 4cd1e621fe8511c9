// GET /api/health: 200 once a real query succeeds and the Worker can sign access tokens; 503 when
// the database cannot answer, or when the signing key does not decrypt with BETTER_AUTH_SECRET (a
// secret changed without the rotation procedure: `detail` and the log say how to fix it). On success
// Server-Timing names the driver that ran the query (neon-http, or node-postgres through Hyperdrive)
// and its time, so a deployment shows which path it is on (db/driver-selection.test.ts relies on it).
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import * as z from "zod";
import { authFor } from "../auth/better-auth.ts";
import { signingKeyProblem } from "../auth/signing-key-check.ts";
import { dbDriver } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { AppError, toAppError } from "../errors.ts";
import { log } from "../log.ts";
import { describeRoute, jsonResponse } from "../openapi/describe.ts";
import { ErrorBody } from "../openapi/error-body.ts";

const Healthy = z.object({ status: z.literal("ok"), db: z.literal("ok"), signingKey: z.literal("ok") });
const Unhealthy = ErrorBody.extend({
  status: z.literal("error"),
  db: z.enum(["ok", "unreachable"]),
  signingKey: z.enum(["undecryptable", "unknown"]).describe("`unknown` while the database is unreachable"),
}).meta({
  examples: [
    {
      detail: "The database is unavailable; please retry shortly",
      status_code: 503,
      error_type: "service_unavailable",
      status: "error",
      db: "unreachable",
      signingKey: "unknown",
    },
  ],
});
type UnhealthyBody = z.output<typeof Unhealthy>;

export const healthRoutes = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    operationId: "getHealth",
    summary: "Health check",
    description: "Runs a real query against the database and signs a throwaway access token.",
    responses: {
      200: jsonResponse("The Worker and its database answer, and it can sign access tokens", Healthy),
      503: {
        ...jsonResponse("The database is unreachable, or the signing key does not decrypt", Unhealthy),
        // A key that does not decrypt is the operator's to fix: no time would help.
        headers: {
          "Retry-After": {
            description: "While the database is unreachable: seconds to wait before trying again",
            schema: { type: "integer" },
          },
        },
      },
    },
  }),
  async (c) => {
    const started = performance.now();
    try {
      await c.var.db.execute(sql`select 1`);
    } catch (err) {
      const error = toAppError(err, c.var.requestId);
      if (error.errorType !== "service_unavailable") throw err;
      const body: UnhealthyBody = { ...error.toBody(), status: "error", db: "unreachable", signingKey: "unknown" };
      return c.json(body, 503, error.headers);
    }
    const dbMs = performance.now() - started;
    const problem = await signingKeyProblem(authFor(c.var.config, c.var.db));
    if (problem) {
      log("error", problem, { requestId: c.var.requestId });
      const body: UnhealthyBody = {
        ...new AppError("service_unavailable", problem).toBody(),
        status: "error",
        db: "ok",
        signingKey: "undecryptable",
      };
      return c.json(body, 503);
    }
    c.header("Server-Timing", `db;desc="${dbDriver(c.var.db)}";dur=${dbMs.toFixed(1)}`);
    return c.json({ status: "ok", db: "ok", signingKey: "ok" } satisfies z.output<typeof Healthy>);
  },
);
