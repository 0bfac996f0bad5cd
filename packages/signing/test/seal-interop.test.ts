import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { CompactEncrypt, compactDecrypt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deriveKey } from "../src/derive-key.js";
import { createKeyring } from "../src/keyring.js";
import { ALPHABET, decode, encode } from "../src/lib/b64.js";
import { randomToken } from "../src/random-token.js";
import { seal } from "../src/seal.js";
import { openSealed } from "../src/unseal.js";

// seal/openSealed implement dir + A256GCM on Web Crypto directly; these tests
// pin them to jose (both directions) and to node:crypto's AES-256-GCM.

afterEach(() => vi.restoreAllMocks());

const keys = createKeyring([
  { id: "k1", secret: randomToken(32) },
  { id: "k2", secret: randomToken(32) },
]);
const T0 = Date.UTC(2026, 0, 1);
const DIR = { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] };
const context = fc.constantFrom(undefined, "__Host-sess", "s", "a".repeat(64));
const typ = fc.constantFrom(undefined, "session+jwt", "tessera-seal+jwt", "x.y_z-1");
// Any JSON value, compared through its JSON text (so -0 and key order do not matter).
const payload = fc.jsonValue({ maxDepth: 3 });
const json = (value: unknown) => JSON.stringify(value);
const text = new TextDecoder();

function claimsOf(iat: number, ttl: number, value: unknown): string {
  return `{"iat":${iat},"exp":${iat + ttl},"dat":${json(value)}}`;
}

describe("seal / openSealed interoperate with jose", () => {
  it("tokens we seal decrypt with jose's compactDecrypt under the derived key", async () => {
    await fc.assert(
      fc.asyncProperty(payload, context, typ, async (value, ctx, t) => {
        const token = await seal(value, keys, { expiresIn: 600, context: ctx, typ: t, now: T0 });
        const key = deriveKey(keys, "seal", { context: ctx });
        const { plaintext, protectedHeader } = await compactDecrypt(token, key, {
          ...DIR,
          maxDecompressedLength: 0,
        });
        expect(protectedHeader).toEqual({
          alg: "dir",
          enc: "A256GCM",
          kid: "k1",
          typ: t ?? "tessera-seal+jwt",
        });
        expect(text.decode(plaintext)).toBe(claimsOf(T0 / 1000, 600, value));
      }),
      { numRuns: 300 },
    );
  });

  it("tokens jose encrypts with the same header open with ours", async () => {
    await fc.assert(
      fc.asyncProperty(payload, context, typ, async (value, ctx, t) => {
        const key = deriveKey(keys, "seal", { context: ctx, kid: "k2" });
        const header = { alg: "dir", enc: "A256GCM", kid: "k2", typ: t ?? "tessera-seal+jwt" };
        const token = await new CompactEncrypt(
          new TextEncoder().encode(claimsOf(T0 / 1000, 600, value)),
        )
          .setProtectedHeader(header)
          .encrypt(key);
        const opened = await openSealed(token, keys, { context: ctx, typ: t, now: T0 });
        expect(opened.ok && { ...opened, payload: json(opened.payload) }).toEqual({
          ok: true,
          payload: json(JSON.parse(json(value))),
          iat: T0 / 1000,
          exp: T0 / 1000 + 600,
          kid: "k2",
          needsReissue: true,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("writes the same header segment as jose for the same header", async () => {
    const token = await seal({ a: 1 }, keys, { expiresIn: 60, typ: "session+jwt" });
    const jose = await new CompactEncrypt(new Uint8Array(1))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: "k1", typ: "session+jwt" })
      .encrypt(deriveKey(keys, "seal"));
    expect(token.split(".")[0]).toBe(jose.split(".")[0]);
    expect(token.split(".")[1]).toBe("");
  });

  it("any flipped bit in any segment fails with ours and with jose alike", async () => {
    const key = deriveKey(keys, "seal", { context: "c" });
    const tokens = await Promise.all([
      seal({ uid: 1, pad: "x".repeat(40) }, keys, { expiresIn: 600, context: "c" }),
      new CompactEncrypt(new TextEncoder().encode(claimsOf(Date.now() / 1000, 600, { uid: 2 })))
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt" })
        .encrypt(key),
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tokens),
        fc.constantFrom(0, 2, 3, 4),
        fc.nat(),
        fc.nat(7),
        async (token, segment, at, bit) => {
          const parts = token.split(".");
          const bytes = decode(parts[segment]!)!;
          bytes[at % bytes.length]! ^= 1 << bit;
          parts[segment] = encode(bytes);
          const forged = parts.join(".");
          const ours = await openSealed(forged, keys, { context: "c" });
          const theirs = await compactDecrypt(forged, key, DIR).then(
            () => true,
            () => false,
          );
          expect(ours.ok).toBe(false);
          expect(theirs).toBe(false);
          // Everything that is still well-formed fails with the one reason.
          if (!ours.ok) expect(["invalid", "malformed", "unknown_key"]).toContain(ours.reason);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("opens a token assembled with node:crypto AES-256-GCM (AAD = encoded header)", async () => {
    const key = deriveKey(keys, "seal", { context: "__Host-sess" });
    const header = encode(
      new TextEncoder().encode(
        json({ alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt" }),
      ),
    );
    const iv = Buffer.alloc(12, 7);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(header, "ascii"));
    const ciphertext = Buffer.concat([cipher.update(claimsOf(T0 / 1000, 60, [1])), cipher.final()]);
    const token = [header, "", iv, ciphertext, cipher.getAuthTag()]
      .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
      .join(".");
    expect(await openSealed(token, keys, { context: "__Host-sess", now: T0 })).toMatchObject({
      ok: true,
      payload: [1],
    });
  });

  it("round-trips tokens larger than the encoder's scratch buffer, and small ones after", async () => {
    for (const size of [20_000, 3, 70_000, 0]) {
      const value = { big: "é".repeat(size) };
      const token = await seal(value, keys, { expiresIn: 60 });
      expect(await openSealed(token, keys, { maxLength: 1 << 20 })).toMatchObject({
        ok: true,
        payload: value,
      });
      const { plaintext } = await compactDecrypt(token, deriveKey(keys, "seal"), DIR);
      expect(JSON.parse(text.decode(plaintext)).dat).toEqual(value);
    }
  });

  it("draws a fresh 96-bit IV for every token", async () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const iv = (await seal(1, keys, { expiresIn: 60 })).split(".")[2]!;
      expect(decode(iv)).toHaveLength(12);
      ivs.add(iv);
    }
    expect(ivs.size).toBe(300);
  });
});

describe("openSealed checks everything before decrypting", () => {
  it.each([
    ["an appended =", (t: string) => `${t}=`],
    ["a trailing space", (t: string) => `${t} `],
    [
      "non-zero unused bits in the tag",
      (t: string) => t.slice(0, -1) + ALPHABET[ALPHABET.indexOf(t.slice(-1)) ^ 1],
    ],
    ["+ in the ciphertext", (t: string) => t.replace(/^(([^.]*\.){3})./, "$1+")],
    ["a non-empty encrypted key", (t: string) => t.replace("..", ".AAAA.")],
    ["a 15-character IV", (t: string) => t.replace(/^([^.]*\.\.)./, "$1")],
    ["a non-ASCII character", (t: string) => t.replace(/^(([^.]*\.){3})./, "$1é")],
    ["6 segments", (t: string) => `${t}.AAAA`],
  ])("refuses %s as malformed without calling decrypt", async (_, mutate) => {
    const token = await seal({ uid: 1 }, keys, { expiresIn: 60 });
    const mutated = mutate(token);
    expect(mutated).not.toBe(token);
    const decrypt = vi.spyOn(crypto.subtle, "decrypt");
    expect(await openSealed(mutated, keys)).toEqual({ ok: false, reason: "malformed" });
    expect(decrypt).not.toHaveBeenCalled();
  });

  it.each([
    ["zip", { zip: "DEF" }],
    ["an unknown kid", { kid: "k9" }],
    ["another typ", { typ: "JWT" }],
    ["alg A256KW", { alg: "A256KW" }],
    ["enc A128GCM", { enc: "A128GCM" }],
    ["a fifth member", { cty: "JWT" }],
  ])("refuses a header with %s without calling decrypt", async (_, change) => {
    const token = await seal({ uid: 1 }, keys, { expiresIn: 60 });
    const header = { alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt", ...change };
    const forged = [encode(new TextEncoder().encode(json(header))), ...token.split(".").slice(1)];
    const decrypt = vi.spyOn(crypto.subtle, "decrypt");
    const result = await openSealed(forged.join("."), keys);
    expect(result).toEqual({ ok: false, reason: "kid" in change ? "unknown_key" : "invalid" });
    expect(decrypt).not.toHaveBeenCalled();
  });

  it("gives one reason for a wrong key, context, tag or ciphertext", async () => {
    const token = await seal({ uid: 1 }, keys, { expiresIn: 60, context: "a" });
    const other = createKeyring([{ id: "k1", secret: randomToken(32) }]);
    const parts = token.split(".");
    const tag = decode(parts[4]!)!;
    tag[0]! ^= 0x80;
    const results = await Promise.all([
      openSealed(token, other, { context: "a" }),
      openSealed(token, keys, { context: "b" }),
      openSealed([...parts.slice(0, 4), encode(tag)].join("."), keys, { context: "a" }),
      openSealed(token.replace(/\.[^.]+(\.[^.]+)$/, ".AAAA$1"), keys, { context: "a" }),
    ]);
    expect(results).toEqual(Array(4).fill({ ok: false, reason: "invalid" }));
  });
});
