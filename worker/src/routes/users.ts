// /api/users/:userId/todos…: the todo API addressed by owner. Only the token's own subject may use
// its path; any other user id is 403, so the URL can never reach someone else's data.
import { Hono } from "hono";
import * as z from "zod";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { withDoc } from "../openapi/describe.ts";
import { todoRoutes } from "./todos.ts";

export const userRoutes = new Hono<AuthedEnv>()
  .use(
    "/:userId/*",
    withDoc(
      async (c, next) => {
        if (c.req.param("userId") !== c.var.user.sub) {
          throw new AppError("authorization_error", "You can only access your own todos");
        }
        await next();
      },
      {
        params: { userId: z.string().describe("The caller's own user id: the access token's `sub`") },
        errors: { 403: "`userId` is not the access token's subject" },
      },
    ),
  )
  .route("/:userId/todos", todoRoutes);
