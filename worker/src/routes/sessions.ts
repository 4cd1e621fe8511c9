// /api/sessions: the caller's signed-in sessions, listed and revoked by id. Better Auth's own
// list-sessions and revoke-session name sessions by their token, which would put every device's
// 30-day credential in page-readable JSON; they are switched off in favour of these.
import { Hono } from "hono";
import * as z from "zod";
import { listSessions, revokeSession } from "../db/queries/sessions.ts";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { describeRoute, errorResponses, jsonResponse } from "../openapi/describe.ts";

const Session = z
  .object({
    id: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: "Session" });
const SessionList = z.object({ items: z.array(Session) }).meta({ id: "SessionList" });

export const sessionRoutes = new Hono<AuthedEnv>()
  .get(
    "/",
    describeRoute({
      operationId: "listSessions",
      summary: "The caller's active sessions, most recently used first",
      responses: { 200: jsonResponse("Sessions", SessionList) },
    }),
    async (c) => {
      const rows = await listSessions(c.var.db, c.var.user.sub);
      const items = rows.map((row) => ({
        ...row,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
      }));
      return c.json({ items } satisfies z.output<typeof SessionList>);
    },
  )
  .delete(
    "/:id",
    describeRoute({
      operationId: "revokeSession",
      summary: "Sign one session out",
      description: "Its cookie stops working at once; an access token it already issued runs out on its own.",
      responses: { 204: { description: "Revoked" }, ...errorResponses({ 404: "No such session for this user" }) },
    }),
    async (c) => {
      if (!(await revokeSession(c.var.db, c.var.user.sub, c.req.param("id")))) {
        throw new AppError("not_found", "Session not found");
      }
      return c.body(null, 204);
    },
  );
