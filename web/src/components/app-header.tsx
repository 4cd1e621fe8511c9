// The header: the app's name and, when signed in, the user's name and Sign out.
import { useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { userMessage } from "../lib/api-error.ts";
import { forgetSession, signOut, useSession } from "../lib/auth-client.ts";
import { noteSignedIn, noteSignedOut, tokens } from "../lib/session.ts";
import { discardDraft } from "../todos/draft.ts";

export function AppHeader() {
  const session = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  async function handleSignOut() {
    setBusy(true);
    setError(undefined);
    noteSignedOut();
    try {
      await signOut();
      // Every tab forgets its token and cached todos and shows sign-in (lib/session.ts, app.tsx).
      tokens.clear({ broadcast: true });
      discardDraft();
      forgetSession();
      navigate("/sign-in", { replace: true });
    } catch (err) {
      noteSignedIn();
      setError(`Couldn't sign out: ${userMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <header class="app-header">
      <a class="brand" href="/">
        <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24">
          <rect width="32" height="32" rx="7" fill="currentColor" />
          <path
            d="M9 16.5l4.5 4.5L23 11.5"
            fill="none"
            stroke="var(--bg)"
            stroke-width="3.5"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        edge-todo
      </a>
      <Show when={session().data?.user}>
        {(user) => (
          <div class="account">
            <span class="user-name" title={user().email}>
              {user().name}
            </span>
            <button type="button" class="secondary" onClick={handleSignOut} disabled={busy()}>
              Sign out
            </button>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="header-error" role="alert">
          {error()}
        </p>
      </Show>
    </header>
  );
}
