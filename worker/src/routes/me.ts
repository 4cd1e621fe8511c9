// GET /api/me: who the access token says the caller is. Answered from the token alone.
import { Hono } from "hono";
import * as z from "zod";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { describeRoute, jsonResponse } from "../openapi/describe.ts";

const Me = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: "Me" });

export const meRoutes = new Hono<AuthedEnv>().get(
  "/",
  describeRoute({
    operationId: "getMe",
    summary: "Who the access token belongs to",
    description: "Read from the token's claims (`sub`, `email`, `name`); no database query.",
    responses: { 200: jsonResponse("The caller", Me) },
  }),
  (c) => {
    const { sub, email, name } = c.var.user;
    return c.json({ id: sub, email, name } satisfies z.output<typeof Me>);
  },
);
