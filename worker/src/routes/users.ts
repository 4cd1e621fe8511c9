// /api/users/:userId/todos…: the todo API addressed by owner. Only the token's own subject may use
// its path; any other user id is 403, so the URL can never reach someone else's data.
import { Hono } from "hono";
import { AppError } from "../errors.ts";
import type { AuthedEnv } from "../middleware/require-jwt.ts";
import { describeRoute, errorResponses } from "../openapi/describe.ts";
import { todoRoutes } from "./todos.ts";

const notYourTodos = () => new AppError("authorization_error", "You can only access your own todos");

export const userRoutes = new Hono<AuthedEnv>()
  .use(
    "/:userId/*",
    describeRoute({
      parameters: [
        {
          name: "userId",
          in: "path",
          required: true,
          description: "The caller's own user id: the access token's `sub`",
          schema: { type: "string" },
        },
      ],
      responses: errorResponses({
        403: { description: "`userId` is not the access token's subject", example: notYourTodos() },
      }),
    }),
    async (c, next) => {
      if (c.req.param("userId") !== c.var.user.sub) {
        throw notYourTodos();
      }
      await next();
    },
  )
  .route("/:userId/todos", todoRoutes);
