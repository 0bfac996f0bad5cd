import { createHmac } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { constantTimeEqual } from "../src/constant-time-equal.js";
import { deriveKey } from "../src/derive-key.js";
import { SigningError } from "../src/errors.js";
import { createKeyring } from "../src/keyring.js";
import { encode } from "../src/lib/b64.js";
import { randomToken } from "../src/random-token.js";
import { sign } from "../src/sign.js";
import { unsign, verifySigned } from "../src/unsign.js";

const k1 = { id: "k1", secret: randomToken(32) };
const k2 = { id: "k2", secret: randomToken(32) };
const keys = createKeyring([k1]);

describe("sign / unsign", () => {
  it("round-trips any well-formed string, with the kid in the signed form", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.constantFrom(undefined, "__Host-sid", "csrf"),
        (value, context) => {
          const signed = sign(value, keys, { context });
          expect(signed.startsWith(`${value}.k1.`)).toBe(true);
          expect(unsign(signed, keys, { context })).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("throws on misuse, never on input", () => {
    expect(() => sign(1 as unknown as string, keys)).toThrow(SigningError);
    expect(() => sign("a\uD800", keys)).toThrow(/lone surrogate/);
    expect(() => sign("a", {} as never)).toThrow(SigningError);
    expect(() => sign("a", keys, { context: "bad context" })).toThrow(/option context/);
    fc.assert(
      fc.property(fc.anything(), (input) => unsign(input as string, keys) === null),
      { numRuns: 300 },
    );
  });

  // The MAC covers the whole signed form: garbage before or after never verifies.
  it("refuses every single-bit flip, truncation and garbage around the signed form", () => {
    const s = sign("sessid", keys);
    for (let i = 0; i < s.length; i++) {
      for (let bit = 0; bit < 7; bit++) {
        const flipped =
          s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << bit)) + s.slice(i + 1);
        expect(unsign(flipped, keys)).toBeNull();
      }
    }
    const cases = [
      s.slice(0, -1),
      s + "garbage",
      "garbage" + s,
      "garbage." + s,
      s + ".garbage",
      "",
      ".",
      "a.",
      ".b",
      "a.k1.",
      `.k1.${s.slice(-43)}`,
    ];
    for (const bad of cases) expect(unsign(bad, keys)).toBeNull();
    expect(unsign(s, keys)).toBe("sessid");
  });

  // One accepted spelling: padding, whitespace or non-zero unused bits are refused.
  it("accepts only the canonical MAC text", () => {
    const s = sign("sessid", keys);
    const last = s.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const v = alphabet.indexOf(last);
    const variants = [
      s.slice(0, -1) + alphabet[v ^ 1], // an unused low bit set
      s.slice(0, -1) + alphabet[v ^ 2],
      s + "=",
      s.replaceAll("-", "+").replaceAll("_", "/"),
      ` ${s}`,
      `${s} `,
      `${s}\n`,
    ];
    for (const bad of variants) if (bad !== s) expect(unsign(bad, keys)).toBeNull();
  });

  it("writes HMAC-SHA256 of <value>.<kid> under the derived subkey, as an independent HMAC does", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 120 }),
        fc.constantFrom(undefined, "__Host-sid"),
        fc.constantFrom("cookie", "csrf") as fc.Arbitrary<"cookie" | "csrf">,
        (value, context, purpose) => {
          const key = deriveKey(keys, purpose, { context });
          const mac = encode(hmac(sha256, key, new TextEncoder().encode(`${value}.k1`)));
          expect(sign(value, keys, { context, purpose })).toBe(`${value}.k1.${mac}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  // The MAC text is compared character by character with the expected
  // encoding: a character whose low byte equals the right one must still fail.
  it("refuses MAC characters that only match in their low byte", () => {
    const s = sign("sessid", keys);
    for (const i of [s.length - 43, s.length - 20, s.length - 1]) {
      const c = s.charCodeAt(i);
      for (const wide of [c | 0x100, c | 0xff00, c | 0x80])
        expect(unsign(s.slice(0, i) + String.fromCharCode(wide) + s.slice(i + 1), keys)).toBeNull();
    }
  });

  it("finds the kid exactly: a prefix or extension of the primary id is unknown", () => {
    const ring = createKeyring([{ id: "k1", secret: k1.secret }, k2]);
    const s = sign("v", ring);
    const mac = s.slice(-43);
    for (const kid of ["k", "k10", "K1", "1", "k1k1"])
      expect(verifySigned(`v.${kid}.${mac}`, ring)).toEqual({ ok: false, reason: "unknown_key" });
    const old = sign("v", createKeyring([k2]));
    expect(verifySigned(old, ring)).toEqual({
      ok: true,
      value: "v",
      kid: "k2",
      needsReissue: true,
    });
    expect(verifySigned(s, ring)).toEqual({ ok: true, value: "v", kid: "k1", needsReissue: false });
  });

  // Constant-time comparison (ASVS 4.0.3 6.2.8).
  it("compares bytes without throwing on length mismatch", () => {
    const a = crypto.getRandomValues(new Uint8Array(32));
    expect(constantTimeEqual(a, a.slice(0, 31))).toBe(false);
    expect(constantTimeEqual(a, a.slice())).toBe(true);
    const b = a.slice();
    b[31]! ^= 1;
    expect(constantTimeEqual(a, b)).toBe(false);
    expect(constantTimeEqual(a, "x" as never)).toBe(false);
  });

  // Domain separation (RFC 8725 §3.12): a value signed for one context never verifies for another.
  it("never verifies a value for another context or purpose", () => {
    const s = sign("v", keys, { context: "__Host-sid" });
    expect(unsign(s, keys, { context: "__Host-csrf" })).toBeNull();
    expect(unsign(s, keys)).toBeNull();
    expect(unsign(s, keys, { context: "__Host-sid", purpose: "csrf" })).toBeNull();
    expect(unsign(sign("v", keys, { purpose: "csrf" }), keys, { purpose: "app:flash" })).toBeNull();
    expect(verifySigned(s, keys, { context: "__Host-csrf" })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  // Rotation: the first key signs, the others verify and ask for a re-issue.
  it("rotates: new key signs, old key verifies and asks for reissue, removed key fails", () => {
    const before = createKeyring([k1]);
    const during = createKeyring([k2, k1]);
    const after = createKeyring([k2]);
    const old = sign("v", before);
    expect(verifySigned(old, during)).toEqual({
      ok: true,
      value: "v",
      kid: "k1",
      needsReissue: true,
    });
    const fresh = sign("v", during);
    expect(fresh).toContain(".k2.");
    expect(verifySigned(fresh, during)).toEqual({
      ok: true,
      value: "v",
      kid: "k2",
      needsReissue: false,
    });
    expect(verifySigned(old, after)).toEqual({ ok: false, reason: "unknown_key" });
    expect(unsign(fresh, after)).toBe("v");
  });

  it.each(["../../etc/passwd", "' OR 1=1 --", "a".repeat(10000), '{"$ne":null}', "k9"])(
    "treats kid %j as unknown",
    (kid) => {
      const mac = sign("v", keys).slice(-43);
      const result = verifySigned(`v.${kid}.${mac}`, keys, { maxLength: 1 << 20 });
      expect(result).toEqual({ ok: false, reason: "unknown_key" });
    },
  );

  // Regression: sign() of long non-ASCII values MACed a zeroed buffer (a
  // scratch buffer grew without keeping what was already written), so unsign
  // refused them. Every length 0..5000 in 1-, 2-, 3- and 4-byte UTF-8, each
  // sweep on a fresh copy of the package and longest first, because the old
  // buffer only lost its contents when one call more than doubled it.
  it("round-trips values of every length up to 5000 characters of 1- to 4-byte UTF-8", async () => {
    for (const char of ["a", "é", "中", "😀"]) {
      vi.resetModules();
      const fresh = await import("../src/index.js");
      const ring = fresh.createKeyring([k1]);
      const key = fresh.deriveKey(ring, "cookie");
      for (let n = 5000; n >= 0; n--) {
        const value = char.repeat(n);
        const signed = fresh.sign(value, ring);
        // node:crypto as the independent reference (native, so 20,000 MACs stay quick).
        const mac = createHmac("sha256", key).update(`${value}.k1`).digest("base64url");
        if (
          signed !== `${value}.k1.${mac}` ||
          fresh.unsign(signed, ring, { maxLength: 1 << 16 }) !== value
        ) {
          expect.fail(`${char} x ${n}: ${signed.slice(-43)} is not the MAC ${mac}`);
        }
      }
    }
  }, 60_000);

  it("reports malformed and oversized input", () => {
    expect(verifySigned("", keys)).toEqual({ ok: false, reason: "malformed" });
    expect(verifySigned(null as never, keys)).toEqual({ ok: false, reason: "malformed" });
    expect(verifySigned("x".repeat(5000), keys)).toEqual({ ok: false, reason: "too_large" });
    expect(unsign(sign("x".repeat(5000), keys), keys, { maxLength: 6000 })).toBe("x".repeat(5000));
  });
});
