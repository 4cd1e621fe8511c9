// /: signed-in users go to their todos, everyone else to sign-in.
import { Navigate } from "@solidjs/router";
import { Show } from "solid-js";
import { useSession } from "../lib/auth-client.ts";

export default function HomePage() {
  const session = useSession();
  return (
    <Show
      when={!session().isPending}
      fallback={
        <p class="page-status" role="status">
          Loading…
        </p>
      }
    >
      <Navigate href={session().data ? "/todos" : "/sign-in"} />
    </Show>
  );
}
