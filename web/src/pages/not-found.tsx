// Any other path: a page that says so and offers a way back.
import { Show } from "solid-js";
import { useSession } from "../lib/auth-client.ts";

export default function NotFoundPage() {
  const session = useSession();
  document.title = "Page not found · edge-todo";
  return (
    <section class="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Show when={session().data} fallback={<a href="/sign-in">Go to sign in</a>}>
          <a href="/todos">Go to your todos</a>
        </Show>
      </p>
    </section>
  );
}
