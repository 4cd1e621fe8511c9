// Adversarial access tokens (RFC 8725, 7515, 7519, 8037): every forged, altered or malformed token is
// a 401 in the standard error shape, never a 500. Tokens are signed with the Worker's real key where
// the attack needs a valid signature. (What garbage costs in queries: verification-cost.test.ts.)
import { env } from "cloudflare:workers";
import { resolveSigningKey } from "better-auth/plugins/jwt";
import { base64url, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { bearer, call, errorBody, signedInUser, type TestUser } from "../../test/client.ts";
import { TEST_BINDINGS } from "../../test/settings.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { MAX_AUTHORIZATION_HEADER_BYTES } from "./access-token.ts";
import { createAuth, jwtPluginOptions } from "./better-auth.ts";

let user: TestUser & { token: string };
let kid: string;
let ourKey: CryptoKey;

beforeAll(async () => {
  user = await signedInUser();
  const config = getConfig(env);
  const context = await createAuth(config, await createDb(config)).$context;
  const resolved = await resolveSigningKey({ context } as never, jwtPluginOptions(config));
  if (!resolved) throw new Error("no signing key");
  kid = resolved.kid;
  ourKey = resolved.privateKey as CryptoKey;
});

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    sub: user.id,
    email: user.email,
    name: user.name,
    iat: now(),
    exp: now() + 60,
    iss: TEST_BINDINGS.PUBLIC_BASE_URL,
    aud: TEST_BINDINGS.PUBLIC_BASE_URL,
    ...overrides,
  };
}

/** Signs with the Worker's own private key: only the named defect makes the token bad. */
function signOurs(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", kid, ...header }).sign(ourKey);
}

/** Signs exactly these bytes with our key, for headers jose itself refuses to produce. */
async function signRaw(header: Record<string, unknown>, payloadPart: string): Promise<string> {
  const input = `${segment(header)}.${payloadPart}`;
  const signature = await crypto.subtle.sign("Ed25519", ourKey, new TextEncoder().encode(input));
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

const segment = (value: unknown) => base64url.encode(typeof value === "string" ? value : JSON.stringify(value));

async function status(token: string): Promise<number> {
  return (await call("/api/me", { headers: bearer(token) })).status;
}

async function expect401(token: string) {
  const res = await call("/api/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(401);
  expect(await errorBody(res)).toMatchObject({ status_code: 401, error_type: "authentication_error" });
}

test("control: a token signed with our key and correct claims is accepted", async () => {
  expect(await status(await signOurs(claims()))).toBe(200);
});

describe("algorithm confusion", () => {
  test.each([
    ["ES256", { name: "ES256" }],
    ["RS256", { name: "RS256", modulusLength: 2048 }],
    ["PS256", { name: "PS256", modulusLength: 2048 }],
  ])("%s from an attacker's key, with our kid", async (alg, _) => {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg, kid }).sign(privateKey));
  });
});

describe("key selection", () => {
  test.each([
    ["missing", undefined],
    ["path-like", "../../../etc/passwd"],
    ["SQL-like", "' OR '1'='1' --"],
    ["unknown but well-formed", "AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
  ])("kid %s", async (_, badKid) => {
    const header: Record<string, unknown> = { kid: badKid };
    if (badKid === undefined) delete header.kid;
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: "EdDSA", ...header }).sign(ourKey));
  });

  test("kid of 10 KB (the header alone is over the size limit)", async () => {
    const token = await signOurs(claims(), { kid: "k".repeat(10 * 1024) });
    expect(`Bearer ${token}`.length).toBeGreaterThan(MAX_AUTHORIZATION_HEADER_BYTES);
    await expect401(token);
  });

  test("embedded jku, x5u and jwk headers are ignored", async () => {
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    for (const header of [
      { jwk },
      { jku: "https://evil.example/jwks.json" },
      { x5u: "https://evil.example/cert.pem" },
    ]) {
      await expect401(
        await new SignJWT(claims()).setProtectedHeader({ alg: "EdDSA", kid, ...header }).sign(attacker.privateKey),
      );
    }
  });

  test("crit with an unknown member", async () => {
    await expect401(await signRaw({ alg: "EdDSA", kid, crit: ["x-unknown"], "x-unknown": true }, segment(claims())));
  });

  test("b64: false (unencoded payload)", async () => {
    const header = { alg: "EdDSA", kid, b64: false, crit: ["b64"] };
    await expect401(await signRaw(header, JSON.stringify(claims())));
  });
});

describe("claims", () => {
  test("exp in the past beyond the clock tolerance is refused, within it accepted", async () => {
    await expect401(await signOurs(claims({ exp: now() - 30 })));
    expect(await status(await signOurs(claims({ exp: now() - 2 })))).toBe(200);
  });

  test.each([
    ["exp missing", { exp: undefined }],
    ["exp as a string", { exp: String(now() + 60) }],
    ["nbf in the future", { nbf: now() + 600 }],
    ["iat in the future", { iat: now() + 600 }],
    ["iat missing", { iat: undefined }],
    ["wrong iss", { iss: "https://evil.example" }],
    ["missing iss", { iss: undefined }],
    ["wrong aud", { aud: "https://evil.example" }],
    ["aud list without ours", { aud: ["https://evil.example"] }],
    ["missing aud", { aud: undefined }],
    ["sub missing", { sub: undefined }],
    ["sub not a string", { sub: 42 }],
    ["sub empty", { sub: "" }],
  ])("%s", async (_, overrides) => {
    const payload = claims(overrides);
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    await expect401(await signOurs(payload));
  });

  test("an edited payload under a valid signature", async () => {
    const [h, , s] = (await signOurs(claims())).split(".");
    await expect401(`${h}.${segment(claims({ sub: "someone-else" }))}.${s}`);
  });
});

describe("structure", () => {
  test.each([
    ["2 segments", async () => (await signOurs(claims())).split(".").slice(0, 2).join(".")],
    ["4 segments", async () => `${await signOurs(claims())}.extra`],
    ["bad base64url", async () => `${segment({ alg: "EdDSA", kid })}.%%%.${"A".repeat(86)}`],
    ["a header that is not JSON", async () => `${segment("not json")}.${segment(claims())}.${"A".repeat(86)}`],
    ['alg "none"', async () => `${segment({ alg: "none", kid })}.${segment(claims())}.`],
  ])("%s", async (_, make) => {
    await expect401(await make());
  });

  // Each is our own valid token, spelled another way: base64url decoders forgive these, so they
  // would verify, and one token would have many spellings.
  describe("only canonical base64url", () => {
    test.each([
      ["padding after the signature", (token: string) => `${token}==`],
      ["padding after the payload", (token: string) => token.replace(/\.([^.]+)$/, "=.$1")],
      [
        "unused low bits set in the signature's last character",
        (token: string) => {
          // 64 bytes are 86 characters: the last carries 2 bits of data and 4 that must be zero.
          const last = token.at(-1) as string;
          const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
          return `${token.slice(0, -1)}${alphabet[alphabet.indexOf(last) | 1]}`;
        },
      ],
    ])("%s", async (_, respell) => {
      const token = await signOurs(claims());
      const respelled = respell(token);
      expect(respelled).not.toBe(token);
      await expect401(respelled);
    });
  });
});

describe("transport", () => {
  test("a token in the query string is ignored", async () => {
    const res = await call(`/api/me?access_token=${user.token}&token=${user.token}`);
    expect(res.status).toBe(401);
  });

  test("a lowercase bearer scheme still works (schemes are case-insensitive)", async () => {
    expect((await call("/api/me", { headers: { Authorization: `bearer ${user.token}` } })).status).toBe(200);
  });
});
