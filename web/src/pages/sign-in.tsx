// /sign-in: email and password, then back to where the user was going (?redirect=).
import { useLocation, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, Show } from "solid-js";
import type { NavigationState } from "../app.tsx";
import { PasswordInput } from "../components/password-input.tsx";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { signIn, useSession } from "../lib/auth-client.ts";
import { safeRedirect } from "../lib/redirect.ts";
import { noteSignedIn, tokens } from "../lib/session.ts";

export default function SignInPage() {
  const [params] = useSearchParams<{ redirect?: string }>();
  const location = useLocation<NavigationState>();
  const navigate = useNavigate();
  const session = useSession();
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<ApiError | Error>();
  const [pending, setPending] = createSignal(false);
  const [signedIn, setSignedIn] = createSignal(false);
  document.title = "Sign in · edge-todo";

  // Leave once Better Auth's session store holds the new session, so the guarded page sees it.
  createEffect(() => {
    if (signedIn() && session().data) navigate(safeRedirect(params.redirect), { replace: true });
  });

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      // Whoever was signed in before: their token must not outlive this sign-in.
      tokens.clear();
      noteSignedIn();
      await signIn({ email: email().trim(), password: password() });
      setSignedIn(true);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setPending(false);
    }
  }

  const credentialsRefused = () => error() instanceof ApiError && (error() as ApiError).status === 401;
  const signUpHref = () => (params.redirect ? `/sign-up?redirect=${encodeURIComponent(params.redirect)}` : "/sign-up");

  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <Show when={location.state?.reason === "expired"}>
        <p class="notice" role="status">
          Your session has expired, please sign in again.
        </p>
      </Show>
      <form class="stack" onSubmit={submit}>
        <div class="field">
          <label for="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            required
            value={email()}
            onInput={(event) => setEmail(event.currentTarget.value)}
            aria-invalid={credentialsRefused() || undefined}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <PasswordInput
            id="password"
            autocomplete="current-password"
            value={password()}
            onInput={setPassword}
            invalid={credentialsRefused()}
          />
        </div>
        <div class="form-alert" role="alert">
          <Show when={error()}>{(err) => <p class="error">{userMessage(err())}</p>}</Show>
        </div>
        <button type="submit" class="primary" disabled={pending()}>
          Sign in
        </button>
      </form>
      <p class="switch-form">
        New here? <a href={signUpHref()}>Create an account</a>
      </p>
    </section>
  );
}
