import { Hono } from "hono";
import { describeRoute, resolver, validator } from "hono-openapi";
import * as z from "zod";

const Body = z.strictObject({ title: z.string().min(1) }).meta({ id: "NewTodo" });
const app = new Hono().post(
  "/x",
  describeRoute({
    summary: "x",
    responses: { 200: { description: "ok", content: { "application/json": { schema: resolver(Body) } } } },
  }),
  validator("json", Body),
  (c) => c.json(c.req.valid("json")),
);
export default app;
