// The password rules as a checklist that ticks while the user types.
import { Index } from "solid-js";
import { passwordChecklist } from "../lib/password-checklist.ts";

export function PasswordChecklist(props: { id: string; password: string }) {
  return (
    <div class="checklist" id={props.id}>
      <p class="checklist-title">Your password needs:</p>
      <ul>
        <Index each={passwordChecklist(props.password)}>
          {(item) => (
            <li classList={{ met: item().met }} data-rule={item().id}>
              <span class="tick" aria-hidden="true">
                {item().met ? "✓" : "○"}
              </span>
              {item().label}
              <span class="visually-hidden">{item().met ? " (done)" : " (not yet)"}</span>
            </li>
          )}
        </Index>
      </ul>
    </div>
  );
}
