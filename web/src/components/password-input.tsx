// A password field with a Show/Hide toggle.
import { createSignal } from "solid-js";

export interface PasswordInputProps {
  id: string;
  autocomplete: "current-password" | "new-password";
  value: string;
  onInput: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  maxLength?: number;
}

export function PasswordInput(props: PasswordInputProps) {
  const [visible, setVisible] = createSignal(false);
  return (
    <div class="password-input">
      <input
        id={props.id}
        name="password"
        type={visible() ? "text" : "password"}
        autocomplete={props.autocomplete}
        required
        maxLength={props.maxLength}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        spellcheck={false}
        autocapitalize="off"
      />
      <button type="button" class="secondary toggle" aria-controls={props.id} onClick={() => setVisible((v) => !v)}>
        {visible() ? "Hide" : "Show"}
        <span class="visually-hidden"> password</span>
      </button>
    </div>
  );
}
