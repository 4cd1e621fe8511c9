// The token manager's promises: refresh at ~80% of the lifetime, one refresh at a time per tab,
// one refresh for all tabs (real BroadcastChannel; Web Locks stand-in), and the expiry flow.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverMessages, inProcessLocks, tokenIssuer } from "../../test/test-support.ts";
import { createTokenManager, SessionGoneError, type TokenManager, type TokenManagerOptions } from "./token-manager.ts";

const TTL_SECONDS = 100;
const opened: { manager: TokenManager; channel?: BroadcastChannel }[] = [];
let channelName: string;

beforeEach(() => {
  // Only timers and the clock are fake: BroadcastChannel delivers on the real event loop.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  channelName = `edge-todo-test-${Math.random()}`;
});

afterEach(() => {
  for (const { manager, channel } of opened.splice(0)) {
    manager.dispose();
    channel?.close();
  }
  vi.useRealTimers();
});

type TabOptions = Partial<TokenManagerOptions> & Pick<TokenManagerOptions, "fetchToken">;

/** One browser tab's token manager; tabs made with `shared` talk over one channel and lock set. */
function openTab(options: TabOptions, shared?: { locks: ReturnType<typeof inProcessLocks> }) {
  const channel = shared ? new BroadcastChannel(channelName) : undefined;
  const events = { sessionGone: 0, signedOutElsewhere: 0 };
  const manager = createTokenManager({
    onSessionGone: () => events.sessionGone++,
    onSignedOutElsewhere: () => events.signedOutElsewhere++,
    channel,
    locks: shared?.locks,
    ...options,
  });
  opened.push({ manager, channel });
  return { manager, events };
}

describe("one tab", () => {
  it("refreshes silently at 80% of the token's lifetime, before it expires", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    const { manager } = openTab({ fetchToken: issuer.fetchToken });

    const first = await manager.getToken();
    expect(issuer.calls()).toBe(1);

    await vi.advanceTimersByTimeAsync(79_000);
    expect(issuer.calls()).toBe(1);
    expect(await manager.getToken()).toBe(first);

    await vi.advanceTimersByTimeAsync(1_500);
    expect(issuer.calls()).toBe(2);
    const second = await manager.getToken();
    expect(second).not.toBe(first);
    expect(issuer.calls()).toBe(2);

    // And again 80 s after the second one arrived.
    await vi.advanceTimersByTimeAsync(80_000);
    expect(issuer.calls()).toBe(3);
  });

  it("makes one request for many concurrent callers (single-flight)", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS, latencyMs: 50 });
    const { manager } = openTab({ fetchToken: issuer.fetchToken });

    const pending = Array.from({ length: 5 }, () => manager.getToken());
    const refreshes = [manager.refresh(), manager.refresh()];
    await vi.advanceTimersByTimeAsync(50);
    const tokens = await Promise.all([...pending, ...refreshes]);

    expect(issuer.calls()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("after a 401, refreshes once and gives later 401s on the same token the new one", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS, latencyMs: 10 });
    const { manager } = openTab({ fetchToken: issuer.fetchToken });
    const initial = manager.getToken();
    await vi.advanceTimersByTimeAsync(10);
    const refused = await initial;

    // Three requests fail with the same token at once: one refresh.
    const replacements = Promise.all([manager.refresh(refused), manager.refresh(refused), manager.refresh(refused)]);
    await vi.advanceTimersByTimeAsync(10);
    const [a, b, c] = await replacements;
    expect(issuer.calls()).toBe(2);
    expect(a).not.toBe(refused);
    expect(b).toBe(a);
    expect(c).toBe(a);

    // A late 401 for the old token is answered with the current one, without a request.
    expect(await manager.refresh(refused)).toBe(a);
    expect(issuer.calls()).toBe(2);

    // But a token the server refuses is replaced even though it has not expired.
    const again = manager.refresh(a);
    await vi.advanceTimersByTimeAsync(10);
    expect(await again).not.toBe(a);
    expect(issuer.calls()).toBe(3);
  });

  it("keeps its token and tries again later when a refresh fails for a reason other than the session", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    let offline = false;
    const { manager, events } = openTab({
      fetchToken: () => (offline ? Promise.reject(new TypeError("Failed to fetch")) : issuer.fetchToken()),
      retryAfterFailureMs: 5_000,
    });
    const first = await manager.getToken();

    offline = true;
    await vi.advanceTimersByTimeAsync(80_000);
    expect(manager.current()?.token).toBe(first);
    expect(events.sessionGone).toBe(0);

    offline = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(issuer.calls()).toBe(2);
    expect(await manager.getToken()).not.toBe(first);
  });

  it("leaves scheduled refreshes to visible tabs while hidden, and refreshes on becoming visible with an expired token", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    let hidden = false;
    const { manager } = openTab({ fetchToken: issuer.fetchToken, isHidden: () => hidden });
    await manager.getToken();

    hidden = true;
    await vi.advanceTimersByTimeAsync(150_000);
    expect(issuer.calls()).toBe(1);

    hidden = false;
    manager.onVisible();
    await vi.advanceTimersByTimeAsync(0);
    expect(issuer.calls()).toBe(2);
    expect(manager.current()!.expiresAt).toBeGreaterThan(Date.now());
  });

  it("runs the expiry flow once when the session is gone, and forgets the token", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    let sessionGone = false;
    const { manager, events } = openTab({
      fetchToken: () => (sessionGone ? Promise.reject(new SessionGoneError()) : issuer.fetchToken()),
    });
    const token = await manager.getToken();

    sessionGone = true;
    const results = await Promise.allSettled([manager.refresh(token), manager.refresh(token)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(SessionGoneError);
    expect(events.sessionGone).toBe(1);
    expect(manager.current()).toBeUndefined();
    await expect(manager.getToken()).rejects.toBeInstanceOf(SessionGoneError);
    expect(events.sessionGone).toBe(1);
  });
});

describe("several tabs (real BroadcastChannel; in-process stand-in for Web Locks)", () => {
  it("ten tabs make one refresh call per token lifetime, and all use the new token", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS, latencyMs: 50 });
    const shared = { locks: inProcessLocks() };
    const tabs = Array.from({ length: 10 }, () => openTab({ fetchToken: issuer.fetchToken }, shared));

    const pending = tabs[0]!.manager.getToken();
    await vi.advanceTimersByTimeAsync(50);
    const first = await pending;
    await deliverMessages();
    // The others received it over the channel: no request of their own.
    for (const { manager } of tabs) expect(await manager.getToken()).toBe(first);
    expect(issuer.calls()).toBe(1);

    // Every tab's timer fires at the same moment; one tab refreshes, the rest wait for its token.
    await vi.advanceTimersByTimeAsync(80_000);
    await deliverMessages();
    await vi.advanceTimersByTimeAsync(50);
    await deliverMessages();
    expect(issuer.calls()).toBe(2);
    const second = tabs[0]!.manager.current()!.token;
    expect(second).not.toBe(first);
    for (const { manager } of tabs) expect(manager.current()?.token).toBe(second);
  });

  it("a tab waiting for another tab's refresh does it itself when that one fails", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS, latencyMs: 50 });
    const shared = { locks: inProcessLocks() };
    const failing = openTab(
      { fetchToken: () => new Promise((_, reject) => setTimeout(() => reject(new Error("503")), 50)) },
      shared,
    );
    const healthy = openTab({ fetchToken: issuer.fetchToken }, shared);

    const failed = failing.manager.refresh().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    const token = healthy.manager.getToken();
    await vi.advanceTimersByTimeAsync(50);
    await deliverMessages();
    await vi.advanceTimersByTimeAsync(50);
    await deliverMessages();

    expect(await failed).toBeInstanceOf(Error);
    expect(await token).toBeTypeOf("string");
    expect(issuer.calls()).toBe(1);
  });

  it("the session ending in one tab runs the expiry flow in every tab", async () => {
    let sessionGone = false;
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    const fetchToken = () => (sessionGone ? Promise.reject(new SessionGoneError()) : issuer.fetchToken());
    const shared = { locks: inProcessLocks() };
    const [a, b] = [openTab({ fetchToken }, shared), openTab({ fetchToken }, shared)];
    await a.manager.getToken();
    await deliverMessages();

    sessionGone = true;
    await expect(a.manager.refresh()).rejects.toBeInstanceOf(SessionGoneError);
    await deliverMessages();

    expect(a.events.sessionGone).toBe(1);
    expect(b.events.sessionGone).toBe(1);
    expect(b.manager.current()).toBeUndefined();
  });

  it("signing out in one tab clears the token in every tab", async () => {
    const issuer = tokenIssuer({ ttlSeconds: TTL_SECONDS });
    const shared = { locks: inProcessLocks() };
    const [a, b] = [
      openTab({ fetchToken: issuer.fetchToken }, shared),
      openTab({ fetchToken: issuer.fetchToken }, shared),
    ];
    await a.manager.getToken();
    await deliverMessages();
    expect(b.manager.current()).toBeDefined();

    a.manager.clear({ broadcast: true });
    await deliverMessages();

    expect(a.manager.current()).toBeUndefined();
    expect(b.manager.current()).toBeUndefined();
    expect(b.events.signedOutElsewhere).toBe(1);
    expect(a.events.signedOutElsewhere).toBe(0);
  });
});
