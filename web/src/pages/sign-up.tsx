// /sign-up: name, email and a password checked live against the server's rules; signed in after.

import { createSignal, Show } from "solid-js";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH } from "#contract";
import { PasswordChecklist } from "../components/password-checklist.tsx";
import { PasswordInput } from "../components/password-input.tsx";
import { ApiError, userMessage } from "../lib/api-error.ts";
import { signUp } from "../lib/auth-client.ts";
import { createAuthForm } from "./auth-form.ts";

export default function SignUpPage() {
  const { error, pending, submit: send, keepingRedirect } = createAuthForm();
  const [name, setName] = createSignal("");
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  document.title = "Create an account · edge-todo";

  const submit = (event: SubmitEvent) =>
    send(event, () => signUp({ name: name().trim(), email: email().trim(), password: password() }));

  const errorCode = () => {
    const err = error();
    return err instanceof ApiError ? err.code : undefined;
  };
  const signInHref = () => keepingRedirect("/sign-in");

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
            maxLength={NAME_MAX_LENGTH}
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
            maxLength={EMAIL_MAX_LENGTH}
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
