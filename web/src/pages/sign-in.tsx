// /sign-in: email and password, then back to where the user was going (?redirect=).
import { useLocation } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { PasswordInput } from "../components/password-input.tsx";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { signIn } from "../lib/auth-client.ts";
import type { NavigationState } from "../lib/session.ts";
import { createAuthForm } from "./auth-form.ts";

export default function SignInPage() {
  const location = useLocation<NavigationState>();
  const { error, pending, submit: send, keepingRedirect } = createAuthForm();
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  document.title = "Sign in · edge-todo";

  const submit = (event: SubmitEvent) => send(event, () => signIn({ email: email().trim(), password: password() }));

  const credentialsRefused = () => error() instanceof ApiError && (error() as ApiError).status === 401;
  const signUpHref = () => keepingRedirect("/sign-up");

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
