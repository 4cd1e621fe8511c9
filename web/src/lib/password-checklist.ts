// The live password checklist on the sign-up form, built from the rules the server enforces
// (#contract): one definition, so the ticks and the server always agree.
import { PASSWORD_RULES, type PasswordRule } from "#contract";

export interface ChecklistItem {
  id: PasswordRule["id"];
  label: string;
  met: boolean;
}

/** Every rule, in display order, with whether `password` meets it. */
export function passwordChecklist(password: string): ChecklistItem[] {
  return PASSWORD_RULES.map((rule) => ({ id: rule.id, label: rule.label, met: rule.test(password) }));
}
