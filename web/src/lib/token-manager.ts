// The access-token manager: holds the API's short-lived JWT in memory only, refreshes it before it
// expires, and shares every refresh with this origin's other tabs, so N tabs make one refresh call.
//
// Framework-free on purpose: the browser wiring (BroadcastChannel, Web Locks, visibility) is passed
// in, so the unit tests drive two "tabs" in one process.

/** Thrown by `fetchToken` when the session cookie no longer yields a token (401): sign in again. */
export class SessionGoneError extends Error {
  override name = "SessionGoneError";
}

export interface AccessToken {
  token: string;
  /** The JWT's subject (user id). */
  sub: string;
  /** Local clock, ms: when the token stops being usable. */
  expiresAt: number;
  /** Local clock, ms: when to fetch the next one (~80% of the lifetime). */
  refreshAt: number;
}

/** What tabs tell each other on the BroadcastChannel. */
export type TabMessage =
  | { type: "token"; token: AccessToken }
  | { type: "refresh-failed" }
  | { type: "session-gone" }
  | { type: "signed-out" };

/** The part of BroadcastChannel the manager uses. */
export interface ChannelLike {
  postMessage(message: TabMessage): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

/** The part of the Web Locks API (navigator.locks) the manager uses. */
export interface LocksLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface TokenManagerOptions {
  /** GET /api/auth/token with the session cookie; rejects with SessionGoneError on 401. */
  fetchToken(): Promise<string>;
  /** The session ended (in this tab or another): the app runs its expiry flow. */
  onSessionGone(): void;
  /** Another tab signed out: the app drops its state and shows sign-in. */
  onSignedOutElsewhere(): void;
  /** A token for a different user arrived (someone signed in as another user in another tab). */
  onUserChanged?(): void;
  channel?: ChannelLike | undefined;
  locks?: LocksLike | undefined;
  /** True while the tab is hidden: its scheduled refreshes wait until it is shown or used. */
  isHidden?: () => boolean;
  now?: () => number;
  /** Fraction of the lifetime after which to refresh. */
  refreshRatio?: number;
  /** How long to wait for another tab's refresh before doing it ourselves. */
  shareTimeoutMs?: number;
  /** After a refresh that failed for a reason other than a lost session, try again this much later. */
  retryAfterFailureMs?: number;
}

export interface TokenManager {
  /** A usable token: the current one, or a fresh one (refreshing, shared with other tabs). */
  getToken(): Promise<string>;
  /** Fetches a new token. `rejected`: the token the server just refused (401); if another tab has
   * already replaced it, that replacement is returned without a network call. */
  refresh(rejected?: string): Promise<string>;
  /** The tab became visible: refresh now if the token is due (timers are throttled in the background). */
  onVisible(): void;
  /** The session is over although no refresh said so (the server refuses even a fresh token, or
   * the session store found it gone): forget the token and run the expiry flow, once. */
  expire(): void;
  /** Signing out: forget the token here and, with `broadcast`, in every tab. */
  clear(options?: { broadcast?: boolean }): void;
  current(): AccessToken | undefined;
  dispose(): void;
}

export const TOKEN_LOCK_NAME = "edge-todo:access-token-refresh";
/** A token this close to its expiry is not sent any more (it could expire on the way). */
const EXPIRY_MARGIN_MS = 1000;

/** Reads `sub`, `iat` and `exp` from a JWT's payload (no verification: that is the server's job). */
export function readJwtTimes(token: string): { sub: string; iat: number; exp: number } {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  const json = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
  const claims = JSON.parse(json) as { sub?: unknown; iat?: unknown; exp?: unknown };
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number" || typeof claims.sub !== "string") {
    throw new Error("JWT without sub, iat or exp");
  }
  return { sub: claims.sub, iat: claims.iat, exp: claims.exp };
}

/** Times a freshly received token on the local clock: its lifetime is exp - iat, counted from now,
 * so a client clock that is off does not matter. iat is whole seconds, rounded down when it was
 * issued, so the token may already be up to a second old: that second is taken off. */
export function describeToken(token: string, receivedAt: number, refreshRatio = 0.8): AccessToken {
  const { sub, iat, exp } = readJwtTimes(token);
  const lifetimeMs = Math.max(0, (exp - iat - 1) * 1000);
  return { token, sub, expiresAt: receivedAt + lifetimeMs, refreshAt: receivedAt + lifetimeMs * refreshRatio };
}

function isTabMessage(data: unknown): data is TabMessage {
  return typeof data === "object" && data !== null && typeof (data as { type?: unknown }).type === "string";
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.now ?? Date.now;
  const refreshRatio = options.refreshRatio ?? 0.8;
  const shareTimeoutMs = options.shareTimeoutMs ?? 10_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 5_000;
  const { channel, locks } = options;

  let current: AccessToken | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<string> | undefined;
  /** Set when the session is known to be gone, so the app's expiry flow runs once per loss. */
  let sessionGone = false;
  /** Tabs waiting for another tab's refresh; settled by the next message. */
  const waiters = new Set<(outcome: TabMessage) => void>();

  const usable = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined && now() < token.expiresAt - EXPIRY_MARGIN_MS;

  function schedule(at: number) {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onTimer, Math.max(0, at - now()));
  }

  function onTimer() {
    timer = undefined;
    // A hidden tab lets the visible ones refresh and receives their token; it refreshes itself
    // when it is shown again or needs a token.
    if (!current || options.isHidden?.()) return;
    refresh().catch(() => {
      // The session-gone case has already run the expiry flow; anything else (offline, 503) is
      // retried while the token is still good. After that, the next request refreshes on demand.
      if (current && now() + retryAfterFailureMs < current.expiresAt) schedule(now() + retryAfterFailureMs);
    });
  }

  function adopt(token: AccessToken) {
    // Tabs may deliver tokens out of order: keep the one that lives longer.
    if (current && current.token !== token.token && current.sub === token.sub && current.expiresAt >= token.expiresAt)
      return;
    const previousSub = current?.sub;
    current = token;
    sessionGone = false;
    schedule(token.refreshAt);
    for (const settle of waiters) settle({ type: "token", token });
    if (previousSub !== undefined && previousSub !== token.sub) options.onUserChanged?.();
  }

  function forget() {
    current = undefined;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function sessionEnded() {
    forget();
    if (sessionGone) return;
    sessionGone = true;
    options.onSessionGone();
  }

  async function fetchAndShare(): Promise<string> {
    try {
      const token = describeToken(await options.fetchToken(), now(), refreshRatio);
      adopt(token);
      channel?.postMessage({ type: "token", token });
      return token.token;
    } catch (error) {
      if (error instanceof SessionGoneError) {
        channel?.postMessage({ type: "session-gone" });
        sessionEnded();
      } else {
        channel?.postMessage({ type: "refresh-failed" });
      }
      throw error;
    }
  }

  /** A token newer than `stale` that is still good, if another tab delivered one. */
  const replacementFor = (stale: string | undefined) =>
    usable(current) && current.token !== stale ? current.token : undefined;

  /** Resolves with another tab's token, or undefined if that tab failed or took too long. */
  function waitForOtherTab(): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const settle = (message: TabMessage) => {
        clearTimeout(timeout);
        waiters.delete(settle);
        if (message.type === "token") resolve(message.token.token);
        else if (message.type === "session-gone" || message.type === "signed-out") reject(new SessionGoneError());
        else resolve(undefined);
      };
      const timeout = setTimeout(() => settle({ type: "refresh-failed" }), shareTimeoutMs);
      waiters.add(settle);
    });
  }

  async function refreshAcrossTabs(stale: string | undefined): Promise<string> {
    if (!locks) return fetchAndShare();
    // Usually no other tab is refreshing: take the lock without waiting and fetch.
    const mine = await locks.request(TOKEN_LOCK_NAME, { ifAvailable: true }, async (lock) =>
      lock ? { token: replacementFor(stale) ?? (await fetchAndShare()) } : undefined,
    );
    if (mine) return mine.token;
    // Another tab holds the lock: it is fetching a token and will broadcast it before letting go.
    const shared = await waitForOtherTab();
    if (shared) return shared;
    // It failed or vanished (a closed tab releases its lock): our turn, unless a token came meanwhile.
    return locks.request(TOKEN_LOCK_NAME, async () => replacementFor(stale) ?? fetchAndShare());
  }

  function refresh(rejected?: string): Promise<string> {
    const replacement = rejected === undefined ? undefined : replacementFor(rejected);
    if (replacement) return Promise.resolve(replacement);
    inflight ??= refreshAcrossTabs(rejected ?? current?.token).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  const onMessage = (event: { data: unknown }) => {
    const message = event.data;
    if (!isTabMessage(message)) return;
    switch (message.type) {
      case "token":
        adopt(message.token);
        break;
      case "refresh-failed":
        for (const settle of waiters) settle(message);
        break;
      case "session-gone":
        for (const settle of waiters) settle(message);
        sessionEnded();
        break;
      case "signed-out":
        for (const settle of waiters) settle(message);
        forget();
        options.onSignedOutElsewhere();
        break;
    }
  };
  channel?.addEventListener("message", onMessage);

  return {
    getToken() {
      return usable(current) ? Promise.resolve(current.token) : refresh();
    },
    refresh,
    onVisible() {
      if (current && now() >= current.refreshAt) refresh().catch(() => {});
    },
    expire: sessionEnded,
    clear({ broadcast = false } = {}) {
      forget();
      sessionGone = false;
      if (broadcast) channel?.postMessage({ type: "signed-out" });
    },
    current: () => current,
    dispose() {
      forget();
      channel?.removeEventListener("message", onMessage);
    },
  };
}
