// Guards a section of routes: renders it with a session; a visitor without one goes to sign-in with
// a way back (?redirect=); a session that ends while the page is open runs the app's expiry flow
// (unless the user signed out, which the header handles); and when the session could not be
// checked at all, a retry.
import { Navigate, type RouteSectionProps } from "@solidjs/router";
import { createEffect, createSignal, Match, Switch } from "solid-js";
import { useSession } from "../lib/auth-client.ts";
import { tokens, userSignedOut } from "../lib/session.ts";

export function RequireSession(props: RouteSectionProps) {
  const session = useSession();
  const [hadSession, setHadSession] = createSignal(false);
  const here = () => props.location.pathname + props.location.search;
  const status = () => (session().error as { status?: number } | null)?.status;

  createEffect(() => {
    const { data, isPending } = session();
    if (data) setHadSession(true);
    // Gone while open (revoked elsewhere, found out by Better Auth's refetch on focus): the same
    // flow as a refresh that gets a 401. Once per loss; a no-op if that flow already ran.
    else if (hadSession() && !isPending && !userSignedOut()) tokens.expire();
  });

  return (
    <Switch>
      <Match when={session().data}>{props.children}</Match>
      <Match when={session().isPending || session().isRefetching}>
        <p class="page-status" role="status">
          Loading…
        </p>
      </Match>
      <Match when={session().error && status() !== 401}>
        <div class="banner" role="alert">
          <span>Can't reach the server to check your session.</span>
          <button type="button" onClick={() => void session().refetch()}>
            Retry
          </button>
        </div>
      </Match>
      {/* A session that ended here is the app shell's to handle (app.tsx): it navigates. */}
      <Match when={!hadSession()}>
        <Navigate href={userSignedOut() ? "/sign-in" : `/sign-in?redirect=${encodeURIComponent(here())}`} />
      </Match>
    </Switch>
  );
}
