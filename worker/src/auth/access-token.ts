// Verifies the API's access tokens (the jwt plugin's EdDSA JWTs) with jose, against public keys kept
// at module scope: in steady state a request costs one signature check and no database query.
import { importJWK, type JWK, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
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
  /** How long a rotated-out key (one with expiresAt) still verifies: the jwt plugin's gracePeriod. */
  keyGracePeriodSeconds: number;
}

/**
 * How long a rotated-out signing key keeps verifying (and stays in the JWKS). Any grace longer than
 * the access-token lifetime lets every token it signed run out naturally.
 */
export const SIGNING_KEY_GRACE_PERIOD_SECONDS = 24 * 60 * 60;

const ALGORITHMS = ["EdDSA"];
/** Leeway for clock skew between the isolate that signed and the one that verifies. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longest accepted Authorization header; anything longer is refused before any parsing or crypto. */
export const MAX_AUTHORIZATION_HEADER_BYTES = 8 * 1024;
/** Re-read the key set this often even without an unknown kid, so removed keys stop working. */
const KEY_CACHE_MAX_AGE_MS = 5 * 60_000;
/** Key ids as Better Auth makes them; anything else is refused without looking it up. */
const KID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * Reloads caused by unknown kids draw from a small per-isolate bucket, so a stream of made-up kids
 * costs at most one query a second, while a key created elsewhere (rotation) is found at once.
 */
const RELOAD_BUCKET_SIZE = 3;
const RELOAD_REFILL_MS = 1_000;
/** A kid found missing is not looked up again for this long. */
const UNKNOWN_KID_TTL_MS = 60_000;
const UNKNOWN_KID_MAX_ENTRIES = 1_000;

interface CachedKey {
  key: CryptoKey;
  /** Epoch ms after which the key no longer verifies (rotated out, plus the grace period). */
  validUntil: number;
}

interface KeySet {
  keys: Map<string, CachedKey>;
  loadedAt: number;
}

let keySet: KeySet | undefined;
let reloading: Promise<KeySet> | undefined;
let reloadTokens = RELOAD_BUCKET_SIZE;
let reloadTokensAt = 0;
const unknownKids = new Map<string, number>();

async function importKeys(rows: PublicKeyRow[], now: number, graceMs: number): Promise<KeySet> {
  const keys = new Map<string, CachedKey>();
  for (const row of rows) {
    if ((row.alg ?? "EdDSA") !== "EdDSA") continue;
    const validUntil = row.expiresAt ? row.expiresAt.getTime() + graceMs : Number.POSITIVE_INFINITY;
    if (validUntil < now) continue;
    const jwk = JSON.parse(row.publicKey) as JWK;
    keys.set(row.id, { key: (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey, validUntil });
  }
  return { keys, loadedAt: now };
}

/** Loads the key set, sharing one load among concurrent callers. */
function reload(options: VerifyOptions): Promise<KeySet> {
  reloading ??= (async () => {
    try {
      keySet = await importKeys(await options.loadKeys(), Date.now(), options.keyGracePeriodSeconds * 1000);
      return keySet;
    } finally {
      reloading = undefined;
    }
  })();
  return reloading;
}

function takeReloadToken(now: number): boolean {
  const refilled = Math.floor((now - reloadTokensAt) / RELOAD_REFILL_MS);
  if (refilled > 0) {
    reloadTokens = Math.min(RELOAD_BUCKET_SIZE, reloadTokens + refilled);
    // Keep the part of a second already waited, or a steady trickle would never earn a token.
    reloadTokensAt = reloadTokens === RELOAD_BUCKET_SIZE ? now : reloadTokensAt + refilled * RELOAD_REFILL_MS;
  }
  if (reloadTokens < 1) return false;
  reloadTokens -= 1;
  return true;
}

function rememberUnknown(kid: string, now: number): void {
  if (unknownKids.size >= UNKNOWN_KID_MAX_ENTRIES) unknownKids.delete(unknownKids.keys().next().value as string);
  unknownKids.set(kid, now + UNKNOWN_KID_TTL_MS);
}

async function keyFor(kid: string | undefined, options: VerifyOptions): Promise<CryptoKey> {
  if (!kid || !KID_PATTERN.test(kid)) throw new joseErrors.JWKSNoMatchingKey();
  const now = Date.now();
  let current = keySet;
  if (!current || now - current.loadedAt > KEY_CACHE_MAX_AGE_MS) current = await reload(options);
  let found = current.keys.get(kid);
  if (!found && (unknownKids.get(kid) ?? 0) < now && takeReloadToken(now)) {
    // Possibly a key created since the last load (rotation, or the first key): look once more.
    current = await reload(options);
    found = current.keys.get(kid);
    if (!found) rememberUnknown(kid, now);
  }
  if (!found || found.validUntil < now) throw new joseErrors.JWKSNoMatchingKey();
  return found.key;
}

/** Forgets the cached keys and lookup history (tests, and after this isolate rotates keys itself). */
export function clearKeyCache(): void {
  keySet = undefined;
  unknownKids.clear();
  reloadTokens = RELOAD_BUCKET_SIZE;
}

/** Extracts the token from `Authorization: Bearer <token>`, or throws a 401 AppError. */
export function bearerToken(header: string | undefined): string {
  if (!header) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    throw new AppError(
      "authentication_error",
      "Missing Authorization header; send `Authorization: Bearer <access token>`",
      {
        headers: { "WWW-Authenticate": 'Bearer realm="api"' },
      },
    );
  }
  if (header.length > MAX_AUTHORIZATION_HEADER_BYTES) throw unauthorized("Authorization header is too large");
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Authorization header must use the Bearer scheme");
  const token = match[1];
  // A JWS has one spelling (RFC 7515 §2: base64url without padding). Decoders forgive padding and
  // stray low bits, so without this a token would have many spellings that all verify.
  if (!token.split(".").every(isCanonicalBase64url)) throw unauthorized("Access token is not canonical base64url");
  return token;
}

const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Whether `segment` is base64url as an encoder writes it: only the alphabet, no padding, no length
 * that leaves a lone character, and zero in the bits of the last character that carry no byte.
 */
function isCanonicalBase64url(segment: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return false;
  const tail = segment.length % 4;
  if (tail === 1) return false;
  if (tail === 0) return true;
  const last = BASE64URL_ALPHABET.indexOf(segment.at(-1) as string);
  // Two characters carry one byte (4 spare bits), three carry two (2 spare bits).
  return (last & (tail === 2 ? 0b1111 : 0b11)) === 0;
}

/** Verifies an access token and returns its claims, or throws a 401 AppError saying why. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<AccessTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => keyFor(header.kid, options), {
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
