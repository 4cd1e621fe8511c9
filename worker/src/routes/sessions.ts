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
const SessionList = z.object({ items: z.array(Session) }).meta({
  id: "SessionList",
  examples: [
    {
      items: [
        {
          id: "Y3sJtAVh0u1wq8RLgEd4aSmcZcPx2oNk",
          createdAt: "2030-01-01T09:00:00.000Z",
          updatedAt: "2030-01-02T09:00:00.000Z",
          expiresAt: "2030-02-01T09:00:00.000Z",
          ipAddress: "203.0.113.7",
          userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        },
      ],
    },
  ],
});

const sessionNotFound = () => new AppError("not_found", "Session not found");

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
      responses: {
        204: { description: "Revoked" },
        ...errorResponses({
          404: { description: "No such session for this user", example: sessionNotFound() },
        }),
      },
    }),
    async (c) => {
      if (!(await revokeSession(c.var.db, c.var.user.sub, c.req.param("id")))) {
        throw sessionNotFound();
      }
      return c.body(null, 204);
    },
  );
