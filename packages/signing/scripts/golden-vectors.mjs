#!/usr/bin/env node
/**
 * Wrote test/vectors/golden.json ONCE, from the build of @tessera/signing
 * that still ran on its own SHA-256, HMAC and JWE code, so that the move to
 * node:crypto / @noble/hashes / jose can prove that every cookie, signed
 * value, sealed session and JWT issued before it still verifies and opens
 * (test/golden.test.ts). The file is frozen: do not regenerate it with a
 * newer build, or it would only compare the code with itself. Kept to show
 * how the vectors were made. The keys are test-only and public.
 *
 *   node scripts/golden-vectors.mjs > test/vectors/golden.json   (then biome format)
 */
import cookieSignature from "cookie-signature";
import {
  createKeyring,
  deriveKey,
  exportKeyPair,
  generateKeyPair,
  hashToken,
  seal,
  sign,
  signJwt,
} from "../dist/index.js";

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const secretOf = (byte) => Buffer.alloc(32, 0).map((_, i) => (byte * 31 + i * 7) & 255);
// Base64url text secrets, as users configure them; bytes chosen so no weak-secret rule fires.
const k1 = Buffer.from(secretOf(1)).toString("base64url");
const k2 = Buffer.from(secretOf(2)).toString("base64url");
const NOW = 1_790_000_000_000; // 2026-09-21, epoch ms; tests pass it as `now`.

const signer = createKeyring([
  { id: "2026-11", secret: k1 },
  { id: "2026-05", secret: k2 },
]);
const oldSigner = createKeyring([{ id: "2026-05", secret: k2 }]);

const values = [
  "",
  "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g",
  "user:42|admin",
  "a.b.c",
  "é",
  "中文字符",
  "😀 emoji",
  "x".repeat(55),
  "x".repeat(56),
  "x".repeat(64),
  "x".repeat(300),
  "é".repeat(100),
  "中".repeat(200),
];
const options = [
  {},
  { context: "__Host-sid" },
  { purpose: "csrf", context: "__Host-sid" },
  { purpose: "app:invite" },
];
const signed = [];
for (const value of values) {
  for (const opts of options) {
    signed.push({ value, options: opts, kid: "2026-11", signed: sign(value, signer, opts) });
  }
  signed.push({ value, options: {}, kid: "2026-05", signed: sign(value, oldSigner, {}) });
}

const hashes = ["", "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g", "é中😀", "k".repeat(200)].map(
  (token) => ({
    token,
    base64url: hashToken(token),
    hex: hashToken(token, { encoding: "hex" }),
  }),
);

const purposes = [
  "cookie",
  "csrf",
  "seal",
  "jwt-hs256",
  "jwt-hs512",
  "store-key",
  "store-encryption",
  "log-pepper",
  "refresh-token",
  "app:invite",
];
const derived = [];
for (const purpose of purposes) {
  for (const context of [undefined, "__Host-sid"]) {
    for (const kid of ["2026-11", "2026-05"]) {
      derived.push({
        purpose,
        ...(context === undefined ? {} : { context }),
        kid,
        hex: hex(deriveKey(signer, purpose, { context, kid })),
      });
    }
  }
}

const payloads = [
  { userId: "u1" },
  { userId: "u_8f3a2c", roles: ["user"], cart: [1, 2, 3], note: "x".repeat(90) },
  { text: "é中😀", nested: { a: [null, true, 1.5] } },
  "just a string",
];
const sealed = [];
for (const payload of payloads) {
  for (const opts of [{}, { context: "__Host-sess" }, { typ: "app-state+jwt" }]) {
    sealed.push({
      payload,
      options: opts,
      kid: "2026-11",
      token: await seal(payload, signer, { expiresIn: 3600, now: NOW, ...opts }),
    });
  }
}
sealed.push({
  payload: payloads[1],
  options: { context: "__Host-sess" },
  kid: "2026-05",
  token: await seal(payloads[1], oldSigner, { expiresIn: 3600, now: NOW, context: "__Host-sess" }),
});

const ed = await generateKeyPair("EdDSA", { id: "ed-1", extractable: true });
const es = await generateKeyPair("ES256", { id: "es-1", extractable: true });
const pairs = {
  ed: await exportKeyPair(ed, "jwk"),
  es: await exportKeyPair(es, "jwk"),
};
const full = createKeyring([{ id: "2026-11", secret: k1 }, { id: "2026-05", secret: k2 }, ed, es]);
const jwts = [];
const claims = { sub: "u1", scope: "read", name: "é中😀" };
for (const alg of ["HS256", "HS512", "EdDSA", "ES256"]) {
  for (const opts of [
    {},
    { typ: "access+jwt", issuer: "https://auth.example", audience: "api", jwtId: "j1" },
  ]) {
    const context = alg.startsWith("HS") && opts.typ ? "access" : undefined;
    jwts.push({
      alg,
      claims,
      options: { ...opts, ...(context ? { context } : {}) },
      token: await signJwt(claims, full, {
        alg,
        expiresIn: 600,
        now: NOW,
        ...opts,
        ...(context ? { context } : {}),
      }),
    });
  }
}

// express-session cookies (cookie-signature), for unsignLegacy.
const legacy = [
  "keyboard cat",
  "a much longer legacy secret that is more than sixty-four bytes long, for the key hash",
].map((secret) => ({
  secret,
  value: "EQ1x3kZp2c9dRqk8yW0aLm",
  cookie: `s:${cookieSignature.sign("EQ1x3kZp2c9dRqk8yW0aLm", secret)}`,
}));

process.stdout.write(
  JSON.stringify(
    {
      description:
        "Produced once by scripts/golden-vectors.mjs from the build before the move to audited primitives; frozen. Test-only public keys.",
      now: NOW,
      keys: [
        { id: "2026-11", secret: k1 },
        { id: "2026-05", secret: k2 },
      ],
      pairs,
      signed,
      hashes,
      derived,
      sealed,
      jwts,
      legacy,
    },
    null,
    2,
  ),
);
