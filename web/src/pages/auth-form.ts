// What the sign-in and sign-up pages share: send the form once, keep its error, and leave for the
// page the user was going to (?redirect=) once Better Auth's session store holds the new session,
// so the guarded page sees it.
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal } from "solid-js";
import { useSession } from "../lib/auth-client.ts";
import { safeRedirect } from "../lib/redirect.ts";
import { noteSignedIn, tokens } from "../lib/session.ts";

export function createAuthForm() {
  const [params] = useSearchParams<{ redirect?: string }>();
  const navigate = useNavigate();
  const session = useSession();
  const [error, setError] = createSignal<Error>();
  const [pending, setPending] = createSignal(false);
  const [done, setDone] = createSignal(false);

  createEffect(() => {
    if (done() && session().data) navigate(safeRedirect(params.redirect), { replace: true });
  });

  /** Runs `send` (the sign-in or sign-up call) for a submitted form. */
  async function submit(event: SubmitEvent, send: () => Promise<unknown>) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      // Whoever was signed in before: their token must not outlive this sign-in.
      tokens.clear();
      noteSignedIn();
      await send();
      setDone(true);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setPending(false);
    }
  }

  /** A link to the other form that keeps where the user was going. */
  const keepingRedirect = (path: string) =>
    params.redirect ? `${path}?redirect=${encodeURIComponent(params.redirect)}` : path;

  return { error, pending, submit, keepingRedirect };
}
