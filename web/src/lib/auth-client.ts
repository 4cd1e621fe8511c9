// The one Better Auth client (better-auth/solid): sign-up, sign-in, sign-out, the session, and
// access tokens from /api/auth/token. Every failure comes out as an ApiError.

import { createAuthClient } from "better-auth/solid";
import { ApiError, type FetchErrorResult, toApiError } from "./api-error.ts";
import { apiOrigin, crossOrigin } from "./api-origin.ts";
import { answeringNetworkFailures, retryingTransientFailures } from "./fetch-policy.ts";
import { SessionGoneError } from "./token-manager.ts";

export const authClient = createAuthClient({
  baseURL: apiOrigin,
  basePath: "/api/auth",
  fetchOptions: {
    // Same origin, cookies go anyway; from a Pages site to the Worker they must be asked for.
    credentials: crossOrigin ? "include" : "same-origin",
    customFetchImpl: answeringNetworkFailures((input, init) => fetch(input, init)),
  },
});

type Result<T> = { data: T; error: null } | { data: null; error: FetchErrorResult };

/** Runs one Better Auth call and returns its data, or throws an ApiError. */
async function unwrap<T>(call: (onError: (context: { response: Response }) => void) => Promise<unknown>): Promise<T> {
  let headers: Headers | undefined;
  const result = (await call(({ response }) => {
    headers = response.headers;
  })) as Result<T>;
  if (result.error) throw toApiError(result.error, headers);
  return result.data;
}

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
}

export function signUp(input: { name: string; email: string; password: string }): Promise<{ user: SignedInUser }> {
  return unwrap((onError) => authClient.signUp.email(input, { onError }));
}

export function signIn(input: { email: string; password: string }): Promise<{ user: SignedInUser }> {
  return unwrap((onError) => authClient.signIn.email(input, { onError }));
}

/** Ends the session on the server (and Better Auth tells its session store in every tab). */
export function signOut(): Promise<unknown> {
  return unwrap((onError) => authClient.signOut({ fetchOptions: { onError } }));
}

/** The signed-in user and session, as a Solid accessor; fetched from /api/auth/get-session. */
export const useSession = () => authClient.useSession();

/** The session is known to be over (signed out, expired): drop it from the session store now
 * rather than after the refetch Better Auth schedules, so no page shows the user meanwhile. */
export function forgetSession(): void {
  const session = authClient.$store.atoms.session;
  if (session?.get().data)
    session.set({ ...session.get(), data: null, error: null, isPending: false, isRefetching: false });
}

/** A new access JWT for the session cookie; SessionGoneError when there is no session any more. */
export async function fetchAccessToken(): Promise<string> {
  try {
    const { token } = await unwrap<{ token: string }>((onError) =>
      // A GET: safe to try again when the Worker or its database is briefly unavailable.
      authClient.$fetch("/token", { method: "GET", onError, ...retryingTransientFailures() }),
    );
    return token;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new SessionGoneError("The session has ended");
    throw error;
  }
}
