#!/usr/bin/env node
/**
 * Writes test/vectors/kat.json: the known-answer vectors every runtime of the
 * matrix checks. Deterministic answers (HKDF subkeys, HMAC-signed values,
 * hashToken, base64url, HS256/HS512/EdDSA JWTs) are computed here with
 * node:crypto, independently of @tessera/signing, and the JWTs the library
 * produces are checked against them, so the vectors prove correctness and not
 * only agreement. Randomized artifacts (sealed tokens, ES256 JWTs) are made by
 * the library at a fixed instant and decrypted or verified here with
 * node:crypto. The key material is test-only and public.
 *
 *   node scripts/generate-vectors.mjs   (after building @tessera/signing)
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  sign as edSign,
  hkdfSync,
  verify,
} from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKeyring, importKeyPair, seal, signJwt } from "@tessera/signing";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "vectors", "kat.json");

const NOW = 1795600000000; // 2026-11-25T08:26:40Z, epoch ms
const keyring = [
  { id: "kat-2026-11", secret: "0YQux4N4UgfGJjSapDF7mdPHPmwL8TaiIXDYP_lnoPo" },
  { id: "kat-2026-05", secret: "vsX_1ppcwPbvBFrRT9QBdW5kHxyV_C9rWp-0weglJdE" },
];
const stranger = { id: "kat-stranger", secret: "e4gJHhygNaX2_1tXAEKwRjcoI-k2q02dATHWDli_CkQ" };
const ed25519 = {
  id: "kat-ed",
  alg: "EdDSA",
  jwk: {
    kty: "OKP",
    crv: "Ed25519",
    d: "dY1QACJtuVHagfukwvPTpZXvDY6SzRHKKPyDqPL671Y",
    x: "0PnCzTfYqsWsIZbi1BcYViMiaqhO6ifFYH5nUrPmxqA",
  },
};
const es256 = {
  id: "kat-es",
  alg: "ES256",
  jwk: {
    kty: "EC",
    crv: "P-256",
    x: "qhP-ePZqh8FrAATnMgz6st8ND4vCtV00KhSJ0tyDPT4",
    y: "oWSTQcozI8huoAP_9U_c6hkTMJuU6w8cRM1LnJKxvdk",
    d: "UNxWeNUglzGwulYH2HuN0TwqX2T23QU83zhSwuV1mhk",
  },
};

const b64u = (bytes) => Buffer.from(bytes).toString("base64url");
const secretOf = (id) =>
  Buffer.from([...keyring, stranger].find((k) => k.id === id).secret, "base64url");

/** RFC 5869 with salt = the context (empty when none), as @tessera/signing documents. */
function hkdf(kid, purpose, context) {
  const length = purpose === "jwt-hs512" ? 64 : 32;
  return Buffer.from(
    hkdfSync("sha256", secretOf(kid), context ?? "", `tessera/${purpose}/v1`, length),
  );
}

const hkdfCases = [
  ["kat-2026-11", "cookie", "__Host-sid"],
  ["kat-2026-11", "cookie", undefined],
  ["kat-2026-11", "csrf", "__Host-sid"],
  ["kat-2026-11", "seal", "__Host-sess"],
  ["kat-2026-11", "jwt-hs256", undefined],
  ["kat-2026-11", "jwt-hs512", undefined],
  ["kat-2026-11", "store-key", undefined],
  ["kat-2026-11", "refresh-token", undefined],
  ["kat-2026-11", "app:billing", "tenant-7"],
  ["kat-2026-05", "cookie", "__Host-sid"],
  ["kat-2026-05", "seal", undefined],
].map(([kid, purpose, context]) => ({
  kid,
  purpose,
  ...(context === undefined ? {} : { context }),
  expected: b64u(hkdf(kid, purpose, context)),
}));

function signed(value, kid, purpose = "cookie", context) {
  const mac = createHmac("sha256", hkdf(kid, purpose, context))
    .update(`${value}.${kid}`)
    .digest("base64url");
  return `${value}.${kid}.${mac}`;
}

const signCases = [
  ["Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g", "cookie", "__Host-sid"],
  ["hello", "cookie", undefined],
  ["", "cookie", "c"],
  ["user:42|role=admin", "csrf", "__Host-sid"],
  ["caf\u00e9 \u{1F36A} \u4e2d\u6587", "app:mail", undefined],
  ["a.b.c", "cookie", "__Host-sid"],
].map(([value, purpose, context]) => ({
  value,
  purpose,
  ...(context === undefined ? {} : { context }),
  expected: signed(value, "kat-2026-11", purpose, context),
}));

// Signed by the older key: every runtime must accept it with needsReissue.
const rotatedCases = [["legacy-session-value", "__Host-sid"]].map(([value, context]) => ({
  value,
  context,
  kid: "kat-2026-05",
  expected: signed(value, "kat-2026-05", "cookie", context),
}));

const hashCases = ["", "abc", "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g", "\u00e9\u{1F600}"].map(
  (token) => ({
    token,
    base64url: createHash("sha256").update(token, "utf8").digest("base64url"),
    hex: createHash("sha256").update(token, "utf8").digest("hex"),
  }),
);

const base64urlCases = ["", "00", "fbff", "000102030405060708090a0b0c0d0e0f", "ffffffffff"].map(
  (hex) => ({ hex, text: Buffer.from(hex, "hex").toString("base64url") }),
);

const keys = createKeyring(keyring);
const ed = await importKeyPair({ id: ed25519.id, alg: "EdDSA", privateKey: ed25519.jwk });
const es = await importKeyPair({ id: es256.id, alg: "ES256", privateKey: es256.jwk });
const pairRing = createKeyring([ed, es]);

const claims = { sub: "u_42", role: "admin", n: 7 };
const jwtOptions = {
  expiresIn: 600,
  typ: "access+jwt",
  issuer: "https://auth.example",
  audience: "api",
  jwtId: "jti-0001",
  now: NOW,
};
const parts = (token) => token.split(".");
const signingInput = (token) => `${parts(token)[0]}.${parts(token)[1]}`;

async function hmacJwt(alg) {
  const token = await signJwt(claims, keys, { ...jwtOptions, alg });
  const purpose = alg === "HS256" ? "jwt-hs256" : "jwt-hs512";
  const mac = createHmac(alg === "HS256" ? "sha256" : "sha512", hkdf("kat-2026-11", purpose))
    .update(signingInput(token))
    .digest("base64url");
  if (mac !== parts(token)[2]) throw new Error(`${alg}: library MAC differs from node:crypto`);
  return { alg, claims, options: jwtOptions, expected: token };
}

async function eddsaJwt() {
  const token = await signJwt(claims, pairRing, { ...jwtOptions, alg: "EdDSA" });
  const key = { key: ed25519.jwk, format: "jwk" };
  const expectedSig = edSign(null, Buffer.from(signingInput(token)), key).toString("base64url");
  if (expectedSig !== parts(token)[2]) throw new Error("EdDSA: library signature differs");
  return { alg: "EdDSA", claims, options: jwtOptions, expected: token };
}

async function es256Jwt() {
  const token = await signJwt(claims, pairRing, { ...jwtOptions, alg: "ES256" });
  const pub = createPublicKey({ key: es256.jwk, format: "jwk" });
  const ok = verify(
    "sha256",
    Buffer.from(signingInput(token)),
    { key: pub, dsaEncoding: "ieee-p1363" },
    Buffer.from(parts(token)[2], "base64url"),
  );
  if (!ok) throw new Error("ES256: node:crypto rejects the library's signature");
  return { alg: "ES256", claims, options: jwtOptions, token };
}

/** Decrypts a compact JWE (dir, A256GCM) with node:crypto and the HKDF seal key. */
function openJwe(token, context) {
  const [protectedB64, encryptedKey, iv, ciphertext, tag] = token.split(".");
  if (encryptedKey !== "") throw new Error("dir JWE must have an empty encrypted key");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    hkdf("kat-2026-11", "seal", context),
    Buffer.from(iv, "base64url"),
  );
  decipher.setAAD(Buffer.from(protectedB64, "ascii"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString("utf8"));
}

const sealedCases = [];
for (const [payload, context] of [
  [{ userId: "u_42", cart: [1, 2, 3], note: "caf\u00e9 \u{1F36A}" }, "__Host-sess"],
  [{ n: 0 }, undefined],
]) {
  const token = await seal(payload, keys, {
    expiresIn: 3600,
    now: NOW,
    ...(context === undefined ? {} : { context }),
  });
  const opened = openJwe(token, context);
  if (JSON.stringify(opened.dat) !== JSON.stringify(payload) || opened.iat !== NOW / 1000) {
    throw new Error("sealed token does not decrypt to its payload with node:crypto");
  }
  sealedCases.push({ payload, ...(context === undefined ? {} : { context }), token });
}

const vectors = {
  description:
    "Known-answer vectors for the runtime matrix. Deterministic values computed with node:crypto; sealed tokens and ES256 JWTs made by @tessera/signing at `now` and checked with node:crypto. Test-only keys.",
  now: NOW,
  keyring,
  stranger,
  ed25519,
  es256,
  hkdf: hkdfCases,
  signed: signCases,
  rotated: rotatedCases,
  hashToken: hashCases,
  base64url: base64urlCases,
  jwt: [await hmacJwt("HS256"), await hmacJwt("HS512"), await eddsaJwt()],
  es256Jwt: await es256Jwt(),
  sealed: sealedCases,
};
writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${out}`);
