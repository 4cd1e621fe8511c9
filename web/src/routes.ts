// The route table: every page, lazy-loaded. /todos is wrapped in RequireSession.
import type { RouteDefinition } from "@solidjs/router";
import { lazy } from "solid-js";
import { RequireSession } from "./components/require-session.tsx";

export const routes: RouteDefinition[] = [
  { path: "/", component: lazy(() => import("./pages/home.tsx")) },
  { path: "/sign-in", component: lazy(() => import("./pages/sign-in.tsx")) },
  { path: "/sign-up", component: lazy(() => import("./pages/sign-up.tsx")) },
  {
    path: "/todos",
    component: RequireSession,
    children: [{ path: "/", component: lazy(() => import("./todos/todos-page.tsx")) }],
  },
  { path: "*", component: lazy(() => import("./pages/not-found.tsx")) },
];
