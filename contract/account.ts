// An account's life beyond signing in: the links the app's e-mails carry, how long they stay good,
// and the error codes the web app tells apart. Better Auth's own codes (INVALID_EMAIL_OR_PASSWORD,
// PASSWORD_POLICY, …) pass through unchanged beside these.

/** How long a link in an e-mail works, in seconds. Each is single-use. */
export const LINK_LIFETIME_SECONDS = {
  verifyEmail: 24 * 60 * 60,
  resetPassword: 60 * 60,
} as const;

/** The web app's pages that e-mail links lead to (on PUBLIC_BASE_URL). */
export const ACCOUNT_PAGES = {
  /** Where a verification or e-mail-change link lands once Better Auth has checked it. */
  verified: "/account?verified=1",
  /** Where a password-reset link lands, with `?token=` (or `?error=INVALID_TOKEN`). */
  resetPassword: "/reset-password",
  account: "/account",
  signIn: "/sign-in",
} as const;

/** Error codes (the `code` field beside `error_type`) for an account's life. */
export const ACCOUNT_ERROR_CODES = {
  /** Sign-in refused until the address is verified (REQUIRE_EMAIL_VERIFICATION on): 403. */
  emailNotVerified: "EMAIL_NOT_VERIFIED",
  /** The e-mail could not be sent; nothing else changed, try again: 503. */
  emailNotSent: "EMAIL_NOT_SENT",
  /** An operator disabled the account: 403 on sign-in, 401 on the API. */
  accountDisabled: "ACCOUNT_DISABLED",
  /** The account was deleted (an access token outlived it): 401. */
  accountGone: "ACCOUNT_GONE",
} as const;
