// Verifies the API's access tokens (the jwt plugin's EdDSA JWTs) with jose, against public keys kept
// at module scope: in steady state a request costs one signature check and no database query.
import { errors as joseErrors, importJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import { AppError } from "../errors.ts";

/** A row of the jwks table, as far as verification needs it (never the private key). */
export interface PublicKeyRow {
  id: string;
  publicKey: string;
  alg: string | null;
  expiresAt: Date | null;
}

export interface AccessTokenClaims {
  sub: string;
  email: string;
  name: string;
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Reads the public keys from the database; called on a cold cache, an unknown kid, or a stale cache. */
  loadKeys: () => Promise<PublicKeyRow[]>;
}

const ALGORITHMS = ["EdDSA"];
/** Leeway for clock skew between the isolate that signed and the one that verifies. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longest accepted Authorization header; anything longer is refused before any parsing or crypto. */
export const MAX_AUTHORIZATION_HEADER_BYTES = 8 * 1024;
/** Re-read the key set this often even without an unknown kid, so removed keys stop working. */
const KEY_CACHE_MAX_AGE_MS = 5 * 60_000;
/** At most one reload per isolate in this window, however many unknown kids arrive. */
const RELOAD_COOLDOWN_MS = 5_000;
/** How long a key that has expired still verifies tokens it signed (the jwt plugin's default). */
const EXPIRED_KEY_GRACE_MS = 30 * 24 * 60 * 60_000;

interface KeySet {
  keys: Map<string, CryptoKey>;
  loadedAt: number;
}

let keySet: KeySet | undefined;
let reloading: Promise<KeySet> | undefined;

async function importKeys(rows: PublicKeyRow[], now: number): Promise<KeySet> {
  const keys = new Map<string, CryptoKey>();
  for (const row of rows) {
    if ((row.alg ?? "EdDSA") !== "EdDSA") continue;
    if (row.expiresAt && row.expiresAt.getTime() + EXPIRED_KEY_GRACE_MS < now) continue;
    const jwk = JSON.parse(row.publicKey) as JWK;
    keys.set(row.id, (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey);
  }
  return { keys, loadedAt: now };
}

/** Loads the key set, sharing one load among concurrent callers. */
function reload(loadKeys: VerifyOptions["loadKeys"]): Promise<KeySet> {
  reloading ??= (async () => {
    try {
      const rows = await loadKeys();
      keySet = await importKeys(rows, Date.now());
      return keySet;
    } finally {
      reloading = undefined;
    }
  })();
  return reloading;
}

async function keyFor(kid: string | undefined, loadKeys: VerifyOptions["loadKeys"]): Promise<CryptoKey> {
  const now = Date.now();
  let current = keySet;
  if (!current || now - current.loadedAt > KEY_CACHE_MAX_AGE_MS) current = await reload(loadKeys);
  if (!kid) throw new joseErrors.JWKSNoMatchingKey();
  let key = current.keys.get(kid);
  if (!key && now - current.loadedAt > RELOAD_COOLDOWN_MS) {
    // Possibly a key created since the last load (rotation): look once more.
    current = await reload(loadKeys);
    key = current.keys.get(kid);
  }
  if (!key) throw new joseErrors.JWKSNoMatchingKey();
  return key;
}

/** Forgets the cached keys (tests, and after this isolate rotates keys itself). */
export function clearKeyCache(): void {
  keySet = undefined;
}

/** Extracts the token from `Authorization: Bearer <token>`, or throws a 401 AppError. */
export function bearerToken(header: string | undefined): string {
  if (!header) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    throw new AppError("authentication_error", "Missing Authorization header; send `Authorization: Bearer <access token>`", {
      headers: { "WWW-Authenticate": 'Bearer realm="api"' },
    });
  }
  if (header.length > MAX_AUTHORIZATION_HEADER_BYTES) throw unauthorized("Authorization header is too large");
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Authorization header must use the Bearer scheme");
  return match[1];
}

/** Verifies an access token and returns its claims, or throws a 401 AppError saying why. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<AccessTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => keyFor(header.kid, options.loadKeys), {
      algorithms: ALGORITHMS,
      issuer: options.issuer,
      audience: options.audience,
      // jose checks exp only when present unless it is required.
      requiredClaims: ["exp", "iat", "sub"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    // Anything but a verdict on the token (the database failing to load keys) is not a 401.
    if (!(err instanceof joseErrors.JOSEError)) throw err;
    throw unauthorized(describeJoseError(err), err);
  }
  const { sub, email, name, iat } = payload;
  if (typeof sub !== "string" || !sub) throw unauthorized("Access token has no valid subject");
  if (typeof iat === "number" && iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
    throw unauthorized("Access token was issued in the future");
  }
  return { sub, email: typeof email === "string" ? email : "", name: typeof name === "string" ? name : "" };
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "Access token has expired";
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "Access token was signed by an unknown key";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Access token claim "${err.claim}" is invalid`;
  return "Access token is invalid";
}

function unauthorized(detail: string, cause?: unknown): AppError {
  return new AppError("authentication_error", detail, {
    headers: { "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"' },
    cause,
  });
}
