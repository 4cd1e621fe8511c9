// Where to go after signing in: the ?redirect= a guarded page asked for, if it is a path on this
// site, otherwise the todos. (An absolute or protocol-relative URL there would be an open redirect.)
export const DEFAULT_AFTER_SIGN_IN = "/todos";

export function safeRedirect(target: string | string[] | undefined): string {
  const value = Array.isArray(target) ? target[0] : target;
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return DEFAULT_AFTER_SIGN_IN;
  if (value.startsWith("/sign-in") || value.startsWith("/sign-up")) return DEFAULT_AFTER_SIGN_IN;
  return value;
}
