import {
  constantTimeEqual,
  createKeyring,
  decodeBase64Url,
  deriveKey,
  encodeBase64Url,
  exportJwks,
  generateKeyPair,
  hashToken,
  importKeyPair,
  isToken,
  type KeyPurpose,
  type Keyring,
  openSealed,
  randomToken,
  SigningError,
  type SignPurpose,
  seal,
  sign,
  signJwt,
  unseal,
  unsign,
  verifyJwt,
  verifySigned,
} from "@tessera/signing";
import { deepEqual, equal, ok, rejectsWithCode, type Suite } from "../harness.js";
import type { Vectors } from "../types.js";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export async function vectorKeyrings(v: Vectors): Promise<{ keys: Keyring; pairs: Keyring }> {
  const keys = createKeyring(v.keyring);
  const ed = await importKeyPair({ id: v.ed25519.id, alg: "EdDSA", privateKey: v.ed25519.jwk });
  const es = await importKeyPair({ id: v.es256.id, alg: "ES256", privateKey: v.es256.jwk });
  return { keys, pairs: createKeyring([ed, es]) };
}

/** Known-answer tests: the same bytes on every runtime, computed independently with node:crypto. */
export function katTests(suite: Suite, v: Vectors): void {
  suite.test(`kat: HKDF-SHA256 subkeys (${v.hkdf.length} vectors)`, () => {
    const keys = createKeyring(v.keyring);
    for (const c of v.hkdf) {
      const bytes = deriveKey(keys, c.purpose as KeyPurpose, {
        kid: c.kid,
        ...(c.context === undefined ? {} : { context: c.context }),
      });
      equal(encodeBase64Url(bytes), c.expected, `${c.kid}/${c.purpose}/${c.context ?? "-"}`);
    }
  });

  suite.test(`kat: HMAC-signed values (${v.signed.length} vectors)`, () => {
    const keys = createKeyring(v.keyring);
    for (const c of v.signed) {
      const options = {
        purpose: c.purpose as SignPurpose,
        ...(c.context === undefined ? {} : { context: c.context }),
      };
      equal(sign(c.value, keys, options), c.expected, `sign ${JSON.stringify(c.value)}`);
      equal(unsign(c.expected, keys, options), c.value, "unsign");
    }
  });

  suite.test("kat: a value signed by the older key verifies and asks for reissue", () => {
    const keys = createKeyring(v.keyring);
    for (const c of v.rotated) {
      const result = verifySigned(c.expected, keys, { context: c.context });
      ok(result.ok, "verifySigned");
      equal(result.value, c.value);
      equal(result.kid, c.kid);
      equal(result.needsReissue, true, "needsReissue");
    }
  });

  suite.test(`kat: hashToken SHA-256 (${v.hashToken.length} vectors)`, () => {
    for (const c of v.hashToken) {
      equal(hashToken(c.token), c.base64url, `base64url of ${JSON.stringify(c.token)}`);
      equal(hashToken(c.token, { encoding: "hex" }), c.hex, "hex");
    }
  });

  suite.test(`kat: base64url encode/decode (${v.base64url.length} vectors)`, () => {
    for (const c of v.base64url) {
      equal(encodeBase64Url(fromHex(c.hex)), c.text, c.hex);
      const decoded = decodeBase64Url(c.text);
      ok(decoded !== null, "decode");
      equal(hex(decoded), c.hex);
    }
    equal(decodeBase64Url("AB=="), null, "padding refused");
    equal(decodeBase64Url("AB"), null, "non-canonical trailing bits refused");
  });

  for (const c of v.jwt) {
    suite.test(`kat: ${c.alg} JWT byte-identical at a fixed instant`, async () => {
      const { keys, pairs } = await vectorKeyrings(v);
      const ring = c.alg === "EdDSA" ? pairs : keys;
      equal(await signJwt(c.claims, ring, { ...c.options, alg: c.alg }), c.expected, "token");
      const seen = await verifyJwt(c.expected, ring, {
        algorithms: [c.alg],
        typ: c.options.typ,
        issuer: c.options.issuer,
        audience: c.options.audience,
        now: c.options.now + 1000,
      });
      ok(seen.ok, `verify: ${JSON.stringify(seen)}`);
      equal(seen.payload.sub, c.claims.sub);
    });
  }

  suite.test("kat: the ES256 vector JWT verifies", async () => {
    const { pairs } = await vectorKeyrings(v);
    const c = v.es256Jwt;
    const seen = await verifyJwt(c.token, pairs, {
      algorithms: ["ES256"],
      typ: c.options.typ,
      issuer: c.options.issuer,
      audience: c.options.audience,
      now: c.options.now,
    });
    ok(seen.ok, `verify: ${JSON.stringify(seen)}`);
    equal(seen.payload.role, c.claims.role);
  });

  suite.test(`kat: sealed vector tokens unseal (${v.sealed.length})`, async () => {
    const keys = createKeyring(v.keyring);
    for (const c of v.sealed) {
      const options = { now: v.now, ...(c.context === undefined ? {} : { context: c.context }) };
      deepEqual(await unseal(c.token, keys, options), c.payload, "payload");
      equal(
        await unseal(c.token, keys, { ...options, now: v.now + 3600_000 + 31_000 }),
        null,
        "expired",
      );
      equal(await unseal(c.token, keys, { ...options, context: "other" }), null, "wrong context");
    }
  });
}

/** `node:crypto` as the runtime exposes it without an import, if it does. */
function builtinCrypto(): Record<string, unknown> | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  const mod = proc.getBuiltinModule("node:crypto") as Record<string, unknown> | undefined;
  return typeof mod?.createHmac === "function" ? mod : undefined;
}

/**
 * Which source the package's primitives come from here: node:crypto where
 * the runtime offers it, else @noble/hashes. The test name carries the
 * answer, and scripts/matrix.mjs checks it against each runtime's expected
 * path; on node:crypto runtimes the calls are counted to prove sign and
 * hashToken really went through it.
 */
export const primitiveSource = builtinCrypto() === undefined ? "@noble/hashes" : "node:crypto";

function countCalls(mod: Record<string, unknown>, name: string, run: () => void): number {
  const original = mod[name] as (...args: unknown[]) => unknown;
  let calls = 0;
  mod[name] = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    mod[name] = original;
  }
  return calls;
}

export function signingTests(suite: Suite, v: Vectors): void {
  suite.test(`signing: primitives from ${primitiveSource}`, () => {
    const keys = createKeyring(v.keyring);
    const mod = builtinCrypto();
    if (mod === undefined) {
      // No node:crypto to call: the vectors above prove @noble/hashes' answers.
      equal(unsign(sign("v", keys), keys), "v");
      return;
    }
    equal(
      countCalls(mod, "createHmac", () => sign("v", keys)),
      1,
      "sign: createHmac calls",
    );
    const hashName = typeof mod.hash === "function" ? "hash" : "createHash";
    equal(
      countCalls(mod, hashName, () => hashToken("t")),
      1,
      `hashToken: ${hashName} calls`,
    );
  });

  suite.test("signing: randomToken is 256-bit base64url from the CSPRNG", () => {
    const a = randomToken();
    const b = randomToken();
    ok(isToken(a) && isToken(b), "shape");
    ok(a !== b, "two tokens differ");
    equal(a.length, 43);
    equal(randomToken(16).length, 22);
  });

  suite.test("signing: sign/unsign round trip, tamper and foreign key refused", () => {
    const keys = createKeyring(v.keyring);
    const value = randomToken();
    const signed = sign(value, keys, { context: "__Host-sid" });
    equal(unsign(signed, keys, { context: "__Host-sid" }), value);
    equal(unsign(signed, keys, { context: "__Host-other" }), null, "other context");
    const last = signed.at(-1) === "A" ? "B" : "A";
    equal(unsign(signed.slice(0, -1) + last, keys, { context: "__Host-sid" }), null, "tampered");
    const stranger = createKeyring([v.stranger]);
    const result = verifySigned(signed, stranger, { context: "__Host-sid" });
    ok(!result.ok && result.reason === "unknown_key", JSON.stringify(result));
    equal(unsign("garbage", keys), null, "garbage");
  });

  suite.test("signing: weak or short secrets throw typed errors", async () => {
    await rejectsWithCode(
      () => createKeyring([{ id: "k", secret: crypto.getRandomValues(new Uint8Array(16)) }]),
      "ERR_SIGNING_SECRET_TOO_SHORT",
    );
    let caught: unknown;
    try {
      createKeyring([{ id: "k", secret: new TextEncoder().encode("keyboard cat".repeat(3)) }]);
    } catch (error) {
      caught = error;
    }
    ok(SigningError.isInstance(caught), "SigningError");
  });

  suite.test("signing: constantTimeEqual", () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    ok(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 3)), "equal");
    ok(!constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 4)), "differ");
    ok(!constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 3, 4)), "length");
  });

  suite.test("signing: seal/unseal round trip; tamper, context and key refused", async () => {
    const keys = createKeyring(v.keyring);
    const payload = { userId: "u1", cart: [1, 2], note: "\u00e9\u{1F36A}" };
    const token = await seal(payload, keys, { expiresIn: 60, context: "__Host-sess" });
    equal(token.split(".").length, 5, "compact JWE");
    deepEqual(await unseal(token, keys, { context: "__Host-sess" }), payload);
    const again = await seal(payload, keys, { expiresIn: 60, context: "__Host-sess" });
    ok(again !== token, "randomized IV");
    const parts = token.split(".");
    const ct = parts[3]!;
    parts[3] = (ct[0] === "A" ? "B" : "A") + ct.slice(1);
    equal(await unseal(parts.join("."), keys, { context: "__Host-sess" }), null, "tampered");
    equal(await unseal(token, keys), null, "no context");
    equal(await unseal(token, createKeyring([v.stranger])), null, "foreign keyring");
    const opened = await openSealed(token, keys, { now: Date.now() + 3_600_000 });
    ok(!opened.ok, "expired");
  });

  suite.test("signing: HS256 JWT; algorithm confusion refused", async () => {
    const { keys, pairs } = await vectorKeyrings(v);
    const token = await signJwt({ sub: "u1" }, keys, {
      alg: "HS256",
      expiresIn: 60,
      typ: "at+jwt",
    });
    const seen = await verifyJwt(token, keys, { algorithms: ["HS256"], typ: "at+jwt" });
    ok(seen.ok, JSON.stringify(seen));
    const confused = await verifyJwt(token, pairs, { algorithms: ["EdDSA"], typ: "at+jwt" });
    ok(!confused.ok, "HS256 token under an EdDSA verifier");
    const wrongTyp = await verifyJwt(token, keys, { algorithms: ["HS256"], typ: "JWT" });
    ok(!wrongTyp.ok, "typ");
    const none = `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${token.split(".")[1]}.`;
    ok(!(await verifyJwt(none, keys, { algorithms: ["HS256"] })).ok, "alg none");
  });

  for (const alg of ["EdDSA", "ES256"] as const) {
    suite.test(
      `signing: ${alg} key pair generated here signs and verifies; JWKS export`,
      async () => {
        const pair = await generateKeyPair(alg, { id: `fresh-${alg}` });
        const ring = createKeyring([pair]);
        const token = await signJwt({ sub: "u2" }, ring, { alg, expiresIn: 60, audience: "api" });
        const seen = await verifyJwt(token, ring, { algorithms: [alg], audience: "api" });
        ok(seen.ok, JSON.stringify(seen));
        const jwks = await exportJwks(ring);
        equal(jwks.keys.length, 1);
        equal(jwks.keys[0]?.kid, `fresh-${alg}`);
        ok(!("d" in (jwks.keys[0] as object)), "public half only");
      },
    );
  }
}
