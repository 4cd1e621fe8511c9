// GET /api/me: who the access token says the caller is. Answered from the token alone.
import { Hono } from "hono";
import type { AuthedEnv } from "../middleware/require-jwt.ts";

export const meRoutes = new Hono<AuthedEnv>().get("/", (c) => {
  const { sub, email, name } = c.var.user;
  return c.json({ id: sub, email, name });
});
