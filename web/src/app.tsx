// The app shell: the router with the route table, the header, and the app's answer to session
// events (expired → sign-in with a message; signed out in another tab → sign-in).
import { Router, type RouteSectionProps, useNavigate } from "@solidjs/router";
import { onCleanup, Suspense } from "solid-js";
import { AppHeader } from "./components/app-header.tsx";
import { forgetSession } from "./lib/auth-client.ts";
import { type NavigationState, noteSignedOut, onSessionEvent } from "./lib/session.ts";
import { routes } from "./routes.ts";

function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();

  onCleanup(
    onSessionEvent((event) => {
      if (event === "user-changed") {
        // Another tab signed in as someone else: nothing on this page is theirs. Start over.
        window.location.assign("/todos");
        return;
      }
      if (event === "signed-out") noteSignedOut();
      const here = props.location.pathname + props.location.search;
      const target = event === "expired" ? `/sign-in?redirect=${encodeURIComponent(here)}` : "/sign-in";
      navigate(target, { replace: true, state: { reason: event } satisfies NavigationState });
      forgetSession();
    }),
  );

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader />
      <main id="main" tabIndex={-1}>
        <Suspense
          fallback={
            <p class="page-status" role="status">
              Loading…
            </p>
          }
        >
          {props.children}
        </Suspense>
      </main>
    </>
  );
}

export function App() {
  return <Router root={Shell}>{routes}</Router>;
}
