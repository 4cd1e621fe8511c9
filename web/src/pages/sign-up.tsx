// /sign-up: name, email and a password checked live against the server's rules; signed in after.
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, Show } from "solid-js";
import { PasswordChecklist } from "../components/password-checklist.tsx";
import { PasswordInput } from "../components/password-input.tsx";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { signUp, useSession } from "../lib/auth-client.ts";
import { PASSWORD_MAX_LENGTH } from "../lib/password-checklist.ts";
import { safeRedirect } from "../lib/redirect.ts";
import { noteSignedIn, tokens } from "../lib/session.ts";

export default function SignUpPage() {
  const [params] = useSearchParams<{ redirect?: string }>();
  const navigate = useNavigate();
  const session = useSession();
  const [name, setName] = createSignal("");
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<Error>();
  const [pending, setPending] = createSignal(false);
  const [signedUp, setSignedUp] = createSignal(false);
  document.title = "Create an account · edge-todo";

  createEffect(() => {
    if (signedUp() && session().data) navigate(safeRedirect(params.redirect), { replace: true });
  });

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      tokens.clear();
      noteSignedIn();
      await signUp({ name: name().trim(), email: email().trim(), password: password() });
      setSignedUp(true);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setPending(false);
    }
  }

  const errorCode = () => {
    const err = error();
    return err instanceof ApiError ? err.code : undefined;
  };
  const signInHref = () => (params.redirect ? `/sign-in?redirect=${encodeURIComponent(params.redirect)}` : "/sign-in");

  return (
    <section class="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create an account</h1>
      <form class="stack" onSubmit={submit}>
        <div class="field">
          <label for="name">Name</label>
          <input
            id="name"
            name="name"
            autocomplete="name"
            required
            maxLength={100}
            value={name()}
            onInput={(event) => setName(event.currentTarget.value)}
            aria-invalid={errorCode() === "INVALID_NAME" || undefined}
          />
        </div>
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
            aria-invalid={
              errorCode()?.startsWith("USER_ALREADY_EXISTS") || errorCode()?.startsWith("INVALID_EMAIL") || undefined
            }
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <PasswordInput
            id="password"
            autocomplete="new-password"
            value={password()}
            onInput={setPassword}
            maxLength={PASSWORD_MAX_LENGTH}
            invalid={errorCode() === "PASSWORD_POLICY"}
            describedBy="password-rules"
          />
          <PasswordChecklist id="password-rules" password={password()} />
        </div>
        <div class="form-alert" role="alert">
          <Show when={error()}>
            {(err) => (
              <p class="error">
                {userMessage(err())}
                <Show when={errorCode()?.startsWith("USER_ALREADY_EXISTS")}>
                  {" "}
                  <a href={signInHref()}>Sign in</a>
                </Show>
              </p>
            )}
          </Show>
        </div>
        <button type="submit" class="primary" disabled={pending()}>
          Sign up
        </button>
      </form>
      <p class="switch-form">
        Already have an account? <a href={signInHref()}>Sign in</a>
      </p>
    </section>
  );
}
