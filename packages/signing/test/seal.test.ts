import { CompactEncrypt } from "jose";
import { describe, expect, it } from "vitest";
import { deriveKey } from "../src/derive-key.js";
import { createKeyring } from "../src/keyring.js";
import { decode, encode } from "../src/lib/b64.js";
import { randomToken } from "../src/random-token.js";
import { seal } from "../src/seal.js";
import { openSealed, unseal } from "../src/unseal.js";

const k1 = { id: "k1", secret: randomToken(32) };
const k2 = { id: "k2", secret: randomToken(32) };
const keys = createKeyring([k1]);
const ctx = { context: "__Host-sess" };
const T0 = Date.UTC(2026, 0, 1);

function header(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(decode(token.split(".")[0]!)!));
}

/** A token built with jose directly under our derived key, with any header. */
async function craft(
  protectedHeader: Record<string, unknown>,
  claims: unknown,
  context = "__Host-sess",
) {
  const key = deriveKey(keys, "seal", { context });
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(protectedHeader as never)
    .encrypt(key);
}

describe("seal / unseal", () => {
  // JWE dir + A256GCM through jose, with the expiry inside the protected payload.
  it("round-trips JSON with kid, typ, iat and exp, and never compresses", async () => {
    const token = await seal({ uid: 1 }, keys, { expiresIn: 3600, ...ctx, now: T0 });
    expect(token.length).toBeLessThanOrEqual(4096);
    expect(header(token)).toEqual({
      alg: "dir",
      enc: "A256GCM",
      kid: "k1",
      typ: "tessera-seal+jwt",
    });
    expect(await openSealed(token, keys, { ...ctx, now: T0 })).toEqual({
      ok: true,
      payload: { uid: 1 },
      iat: T0 / 1000,
      exp: T0 / 1000 + 3600,
      kid: "k1",
      needsReissue: false,
    });
    for (const value of [null, "s", [1, 2], 0, { nested: { deep: ["é", "😀"] } }]) {
      expect(await unseal(await seal(value, keys, { expiresIn: 60 }), keys)).toEqual(value);
    }
  });

  it("throws on misuse", async () => {
    await expect(seal({}, keys, { expiresIn: 0 })).rejects.toThrow(/option expiresIn/);
    await expect(seal({}, keys, {} as never)).rejects.toThrow(/option expiresIn/);
    await expect(seal(undefined, keys, { expiresIn: 60 })).rejects.toThrow(/JSON/);
    await expect(seal(10n, keys, { expiresIn: 60 })).rejects.toThrow(/JSON/);
    await expect(seal({}, keys, { expiresIn: 60, typ: "a b" })).rejects.toThrow(/option typ/);
  });

  // The key's HKDF salt is the context, so a token opens under no other cookie (CVE-2023-48309).
  it("binds the token to its context and typ", async () => {
    const token = await seal({ uid: 1 }, keys, { expiresIn: 60, ...ctx });
    expect(await openSealed(token, keys, { context: "__Host-csrf" })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await openSealed(token, keys, { context: "__Host-other" })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await openSealed(token, keys)).toEqual({ ok: false, reason: "invalid" });
    expect(await openSealed(token, keys, { ...ctx, typ: "session+jwt" })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  // Expiry is enforced on every unseal, whatever the cookie's own Max-Age.
  it("enforces exp and iat with the clock tolerance", async () => {
    const token = await seal({}, keys, { expiresIn: 12 * 3600, ...ctx, now: T0 });
    const at = (ms: number, clockTolerance?: number) =>
      openSealed(token, keys, { ...ctx, now: T0 + ms, clockTolerance });
    expect((await at((11 * 3600 + 59 * 60) * 1000)).ok).toBe(true);
    expect(await at((12 * 3600 + 1) * 1000, 0)).toEqual({ ok: false, reason: "expired" });
    expect((await at((12 * 3600 + 20) * 1000)).ok).toBe(true);
    expect(await at((12 * 3600 + 31) * 1000)).toEqual({ ok: false, reason: "expired" });
    expect(await at(-31_000)).toEqual({ ok: false, reason: "issued_in_future" });
    await expect(at(0, 301)).rejects.toThrow(/option clockTolerance/);
  });

  // One reason for every decryption failure, so failures reveal nothing about the ciphertext.
  it("gives one reason for a bit flip in any segment", async () => {
    const token = await seal({ uid: 1, pad: "x".repeat(100) }, keys, { expiresIn: 60, ...ctx });
    const parts = token.split(".");
    const flip = (segment: number, byte: number) => {
      const bytes = decode(parts[segment]!)!;
      bytes[byte]! ^= 1;
      const copy = [...parts];
      copy[segment] = encode(bytes);
      return copy.join(".");
    };
    const hdr = new TextDecoder().decode(decode(parts[0]!)!);
    const variants = [
      flip(0, hdr.indexOf("tessera") + 2), // inside the typ value: still valid JSON
      flip(0, hdr.indexOf("A256GCM") + 3),
      [parts[0], encode(new Uint8Array([1])), ...parts.slice(2)].join("."), // a non-empty encrypted key
      flip(2, 0),
      flip(2, 11),
      flip(3, 0),
      flip(3, 50),
      flip(4, 0),
      flip(4, 15),
    ];
    const reasons = new Set<string>();
    for (const v of variants) {
      const result = await openSealed(v, keys, ctx);
      expect(result.ok).toBe(false);
      if (!result.ok) reasons.add(result.reason === "malformed" ? "invalid" : result.reason);
    }
    expect([...reasons]).toEqual(["invalid"]);
  });

  it.each([
    ["empty", ""],
    ["4 segments", "a.b.c.d"],
    ["6 segments", "a..bbbbbbbbbbbbbbbb.c.dddddddddddddddddddddd.e"],
    ["padding", "="],
    ["JSON serialization", '{"protected":"x","ciphertext":"y"}'],
    ["a JWS", "eyJhbGciOiJIUzI1NiJ9.e30.abc"],
  ])("refuses %s before decoding", async (_, token) => {
    expect(await openSealed(token, keys, ctx)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses huge input before any work", async () => {
    expect(await openSealed("a".repeat(1 << 20), keys)).toEqual({ ok: false, reason: "too_large" });
    expect(await unseal(42 as never, keys)).toBeNull();
  });

  // Only dir + A256GCM: no other algorithm, no PBES2 work factor, no compression (RFC 8725 §3.2, §3.6).
  it.each([
    ["zip", { alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt", zip: "DEF" }],
    ["crit", { alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt", crit: ["x"], x: 1 }],
    ["A128CBC-HS256", { alg: "dir", enc: "A128CBC-HS256", kid: "k1", typ: "tessera-seal+jwt" }],
    ["no typ", { alg: "dir", enc: "A256GCM", kid: "k1" }],
    ["wrong typ", { alg: "dir", enc: "A256GCM", kid: "k1", typ: "JWT" }],
  ])("refuses a header with %s", async (_, h) => {
    const token = await craft(h, { iat: 1, exp: 2 ** 40, dat: 1 }).catch(() => null);
    // jose itself refuses to produce some of these (unknown crit); then there is nothing to open.
    if (token === null)
      return expect(Object.keys(h).some((k) => k === "zip" || k === "crit")).toBe(true);
    const result = await openSealed(token, keys, ctx);
    expect(result.ok).toBe(false);
    // A128CBC-HS256 has a 16-byte IV, so the shape check already refuses it.
    expect(result).toEqual({ ok: false, reason: h.enc === "A256GCM" ? "invalid" : "malformed" });
  });

  it("refuses PBES2 and key-wrapping algorithms before any key derivation", async () => {
    const h = encode(
      new TextEncoder().encode(
        JSON.stringify({
          alg: "PBES2-HS256+A128KW",
          enc: "A256GCM",
          p2c: 2147483647,
          p2s: "AAAA",
          kid: "k1",
        }),
      ),
    );
    const token = `${h}.${"A".repeat(54)}.${"A".repeat(16)}.AAAA.${"A".repeat(22)}`;
    const started = performance.now();
    expect((await openSealed(token, keys, ctx)).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000); // generous: no PBKDF2 run at all
  });

  it("refuses claims without iat, exp or dat", async () => {
    const h = { alg: "dir", enc: "A256GCM", kid: "k1", typ: "tessera-seal+jwt" };
    for (const claims of [
      { exp: 2 ** 40, dat: 1 },
      { iat: 1, dat: 1 },
      { iat: 1, exp: 2 ** 40 },
      [1],
      "x",
      { iat: "1", exp: 2 ** 40, dat: 1 },
    ]) {
      expect(await openSealed(await craft(h, claims), keys, ctx)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect((await openSealed(await craft(h, { iat: 1, exp: 2 ** 40, dat: 1 }), keys, ctx)).ok).toBe(
      true,
    );
  });

  // Rotation: a non-primary key still opens, and asks for a re-seal.
  it("rotates: old key opens and asks for re-seal until removed", async () => {
    const old = await seal({ uid: 1 }, createKeyring([k1]), { expiresIn: 60, ...ctx });
    const during = createKeyring([k2, k1]);
    expect(await openSealed(old, during, ctx)).toMatchObject({
      ok: true,
      kid: "k1",
      needsReissue: true,
    });
    expect(header(await seal({}, during, { expiresIn: 60 })).kid).toBe("k2");
    expect(await openSealed(old, createKeyring([k2]), ctx)).toEqual({
      ok: false,
      reason: "unknown_key",
    });
  });
});
