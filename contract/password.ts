// The password rules, enforced by the server on sign-up and every password change and shown by
// the web app as a live checklist: the labels here are the words both use.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export interface PasswordRule {
  id: "length" | "uppercase" | "lowercase" | "digit";
  label: string;
  test(password: string): boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: "length",
    label: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    test: (p) => p.length >= PASSWORD_MIN_LENGTH && p.length <= PASSWORD_MAX_LENGTH,
  },
  { id: "uppercase", label: "an uppercase letter", test: (p) => /\p{Lu}/u.test(p) },
  { id: "lowercase", label: "a lowercase letter", test: (p) => /\p{Ll}/u.test(p) },
  { id: "digit", label: "a number", test: (p) => /\p{Nd}/u.test(p) },
];

/** The rules `password` breaks, in display order; empty when it is acceptable. */
export function unmetPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password));
}

/** A sentence naming the unmet rules, e.g. "Password must contain an uppercase letter and a number." */
export function describeUnmetRules(rules: readonly PasswordRule[]): string {
  const lengthRule = rules.find((rule) => rule.id === "length");
  const others = rules.filter((rule) => rule.id !== "length").map((rule) => rule.label);
  const parts: string[] = [];
  if (lengthRule) parts.push(`be ${lengthRule.label} long`);
  if (others.length) parts.push(`contain ${joinWithAnd(others)}`);
  return `Password must ${parts.join(" and ")}.`;
}

function joinWithAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
