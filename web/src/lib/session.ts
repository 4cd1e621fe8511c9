// The app's session plumbing in the browser: the one token manager and the one API client, wired
// to BroadcastChannel, Web Locks and page visibility, and the session events the app shell
// reacts to (expired, signed out in another tab, another user signed in in another tab).
import { createApiClient } from "./api.ts";
import { apiOrigin } from "./api-origin.ts";
import { fetchAccessToken } from "./auth-client.ts";
import { createTokenManager } from "./token-manager.ts";

export type SessionEvent = "expired" | "signed-out" | "user-changed";

/** Router state of the sign-in page when the app sends the user there: why. */
export interface NavigationState {
  reason?: Exclude<SessionEvent, "user-changed">;
}

const listeners = new Set<(event: SessionEvent) => void>();

/** Subscribes to session events; returns the unsubscribe function. */
export function onSessionEvent(listener: (event: SessionEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const emit = (event: SessionEvent) => {
  // A snapshot: a listener may unsubscribe others (a page unmounting) while we go through them.
  for (const listener of [...listeners]) listener(event);
};

export const tokens = createTokenManager({
  fetchToken: fetchAccessToken,
  onSessionGone: () => emit("expired"),
  onSignedOutElsewhere: () => emit("signed-out"),
  onUserChanged: () => emit("user-changed"),
  channel: typeof BroadcastChannel === "function" ? new BroadcastChannel("edge-todo:auth") : undefined,
  locks: navigator.locks,
  isHidden: () => document.visibilityState === "hidden",
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") tokens.onVisible();
});

// The todo API authenticates by bearer token alone: no cookies, even cross-origin.
export const api = createApiClient({ baseURL: `${apiOrigin}/api`, tokens });

let signedOutOnPurpose = false;

/** The user signed out (here or in another tab): guarded pages send to plain /sign-in, with no
 * "come back here" redirect, and no draft is kept. Cleared by the next sign-in. */
export const userSignedOut = () => signedOutOnPurpose;
export function noteSignedOut(): void {
  signedOutOnPurpose = true;
}
export function noteSignedIn(): void {
  signedOutOnPurpose = false;
}
