import { randomBytes } from "node:crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deriveKey } from "../src/derive-key.js";
import { SigningError } from "../src/errors.js";
import { createKeyring, type KeyringOptions } from "../src/keyring.js";

/** The error a keyring of this one secret throws, or undefined. */
function refusal(
  secret: unknown,
  options?: KeyringOptions,
): { code: string; message: string } | undefined {
  try {
    createKeyring([{ id: "k", secret: secret as string }], options);
  } catch (error) {
    if (SigningError.isInstance(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

/** The bytes a keyring derives its keys from, seen through a derived key. */
function cookieKey(secret: string | Uint8Array): string {
  return bytesToHex(deriveKey(createKeyring([{ id: "k", secret }]), "cookie"));
}

// Outputs of `openssl rand -base64 32` and `openssl rand -hex 32`, kept fixed
// so the table always covers `+`, `/` and `=`.
const OPENSSL_BASE64 = "6aVjQrKFaLP/pFOaN5dBif0DJfLsAqtb4f43A/otOiE=";
const OPENSSL_BASE64_48 = "SnDbPOs/QYaT6kra91Corzp6EsFYiRsMMpahAUEEDZADSHsZG7zvbO3BnmRKyPWR";
const OPENSSL_HEX = "734b5f5845cd76485e09d1610b63878b00e378a5fdb3ae2b9dd82f3b86390a2f";
// One 32-byte secret in every text form.
const SAME = {
  hex: "a519bff525f00ab110811aeb2ea958170496e963632965cd0e2475a0db044408",
  base64: "pRm/9SXwCrEQgRrrLqlYFwSW6WNjKWXNDiR1oNsERAg=",
  base64url: "pRm_9SXwCrEQgRrrLqlYFwSW6WNjKWXNDiR1oNsERAg",
};

/** Deterministic pseudo-random text over `alphabet` (no repeating period). */
function scramble(alphabet: string, length: number, seed = 7): string {
  let x = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out += alphabet[(x >> 16) % alphabet.length];
  }
  return out;
}

afterEach(() => vi.unstubAllEnvs());

describe("secrets in the formats people generate", () => {
  const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));
  const b64 = (text: string) => Uint8Array.from(Buffer.from(text, "base64"));
  const bytes = Uint8Array.from(randomBytes(32));
  const buffer = randomBytes(40);
  it.each<[string, string | Uint8Array, Uint8Array]>([
    ["hex from openssl rand -hex 32", OPENSSL_HEX, hex(OPENSSL_HEX)],
    ["upper-case hex", OPENSSL_HEX.toUpperCase(), hex(OPENSSL_HEX)],
    ["hex of 64 bytes (openssl rand -hex 64)", OPENSSL_HEX + SAME.hex, hex(OPENSSL_HEX + SAME.hex)],
    ["base64 from openssl rand -base64 32 (+, / and =)", OPENSSL_BASE64, b64(OPENSSL_BASE64)],
    ["base64 without its padding", OPENSSL_BASE64.slice(0, -1), b64(OPENSSL_BASE64)],
    ["base64 of 48 bytes (no padding needed)", OPENSSL_BASE64_48, b64(OPENSSL_BASE64_48)],
    ["base64url from randomToken(32)", SAME.base64url, b64(SAME.base64)],
    ["base64url with = padding", `${SAME.base64url}=`, b64(SAME.base64)],
    ["bytes", bytes, bytes],
    ["a node buffer", buffer, Uint8Array.from(buffer)],
  ])("accepts %s, as the bytes it encodes", (_, secret, decoded) => {
    expect(refusal(secret)).toBe(undefined);
    expect(cookieKey(secret)).toBe(cookieKey(decoded));
  });

  it("reads hex, base64 and base64url of the same bytes as the same key", () => {
    const expected = cookieKey(hex(SAME.hex));
    expect(cookieKey(SAME.hex)).toBe(expected);
    expect(cookieKey(SAME.hex.toUpperCase())).toBe(expected);
    expect(cookieKey(SAME.base64)).toBe(expected);
    expect(cookieKey(SAME.base64url)).toBe(expected);
    expect(cookieKey(`${SAME.base64url}=`)).toBe(expected);
  });

  it("treats one secret in two spellings as one secret", () => {
    expect(() =>
      createKeyring([
        { id: "a", secret: SAME.hex },
        { id: "b", secret: SAME.base64 },
      ]),
    ).toThrow(expect.objectContaining({ code: "ERR_SIGNING_DUPLICATE_KEY" }));
  });

  it("accepts 500 fresh openssl-style secrets of every kind, as the bytes they encode", () => {
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(32);
      const expected = cookieKey(Uint8Array.from(bytes));
      for (const encoding of ["hex", "base64", "base64url"] as const) {
        expect(cookieKey(bytes.toString(encoding))).toBe(expected);
      }
      expect(cookieKey(bytes.toString("hex").toUpperCase())).toBe(expected);
      // The text of a generated secret passed as bytes (e.g. read from a file).
      expect(refusal(new TextEncoder().encode(bytes.toString("hex")))).toBe(undefined);
      expect(refusal(new TextEncoder().encode(bytes.toString("base64")))).toBe(undefined);
    }
  });

  const TOO_SHORT = "ERR_SIGNING_SECRET_TOO_SHORT";
  const WEAK = "ERR_SIGNING_WEAK_SECRET";
  const INVALID = "ERR_SIGNING_INVALID_SECRET";
  const phrase = Buffer.from("my very long passphrase for the session cookies");
  it.each<[string, unknown, string, RegExp]>([
    [
      "hex of 16 bytes (openssl rand -hex 16)",
      OPENSSL_HEX.slice(0, 32),
      TOO_SHORT,
      /16 bytes \(read as hex\)/,
    ],
    ["hex of 31 bytes", OPENSSL_HEX.slice(0, 62), TOO_SHORT, /31 bytes \(read as hex\)/],
    [
      "an odd number of hex digits",
      OPENSSL_HEX.slice(0, 63),
      INVALID,
      /odd number of hex digits \(63\)/,
    ],
    ["hex of one repeated byte", "ab".repeat(32), WEAK, /repeats a 2-digit pattern/],
    ["hex counting 0-f", "0123456789abcdef".repeat(4), WEAK, /repeats a 16-digit pattern/],
    ["hex of decimal digits only", scramble("0123456789", 64), WEAK, /only decimal digits/],
    [
      "hex of few distinct digits",
      scramble("0123ab", 64),
      WEAK,
      /fewer than 10 distinct hex digits/,
    ],
    ["hex of a typed phrase", phrase.toString("hex"), WEAK, /single letter case/],
    [
      "hex digits in mixed case",
      scramble("0123456789abcdefABCDEF", 64),
      WEAK,
      /hex digits, in both cases/,
    ],
    [
      "base64 of 16 bytes (openssl rand -base64 16)",
      // A fixed value: a random one is now and then also judged weak first
      // (a refusal all the same, with the other code), which made this flaky.
      Buffer.from("9f3c2a7be1d04f68a5c31e7d92b06f4a", "hex").toString("base64"),
      TOO_SHORT,
      /16 bytes \(read as base64\)/,
    ],
    ["base64 of a typed phrase", phrase.toString("base64"), WEAK, /single letter case/],
    [
      "base64 of zero bytes",
      Buffer.alloc(32).toString("base64"),
      WEAK,
      /repeats a 1-character pattern/,
    ],
    ["base64 with two = where one belongs", `${OPENSSL_BASE64}=`, INVALID, /padding/],
    [
      "base64 with = in the middle",
      `${OPENSSL_BASE64.slice(0, 20)}=${OPENSSL_BASE64.slice(21)}`,
      INVALID,
      /padding/,
    ],
    ["base64 padding on a length that needs none", `${OPENSSL_BASE64_48}=`, INVALID, /padding/],
    [
      "both alphabets (+ and -)",
      `${SAME.base64.slice(0, 10)}-${SAME.base64.slice(11)}`,
      INVALID,
      /mixes the base64 \(\+ \/\) and base64url \(- _\) alphabets/,
    ],
    ["base64 with a trailing newline", `${OPENSSL_BASE64}\n`, INVALID, /"\\n".*trim the value.*-A/],
    [
      "wrapped base64 (openssl rand -base64 64)",
      `${OPENSSL_BASE64_48}\n${OPENSSL_BASE64}`,
      INVALID,
      /"\\n"/,
    ],
    ["a quoted secret", `"${OPENSSL_BASE64}"`, INVALID, /holds "\\""/],
    [
      "base64 with non-zero unused bits",
      `${OPENSSL_BASE64.slice(0, 42)}F=`,
      INVALID,
      /unused bits/,
    ],
    [
      "a base64url length no text has",
      SAME.base64url.slice(0, 41),
      INVALID,
      /length \(41 characters/,
    ],
    ["an empty string (unset variable)", "", TOO_SHORT, /empty/],
    ["a number", 42, INVALID, /Uint8Array or a hex, base64 or base64url string, got 42/],
    ["an ArrayBuffer", new ArrayBuffer(32), INVALID, /got \{\}/],
    ["an array of numbers", Array.from(randomBytes(32)), INVALID, /got \[/],
  ])("refuses %s", (_, secret, code, reason) => {
    const refused = refusal(secret);
    expect(refused?.code).toBe(code);
    expect(refused?.message).toMatch(reason);
  });

  it("never puts the secret into an error message", () => {
    for (const secret of [
      OPENSSL_HEX.slice(0, 63),
      OPENSSL_HEX.slice(0, 32),
      "ab".repeat(32),
      `${OPENSSL_BASE64}=`,
      `${OPENSSL_BASE64}\n`,
    ]) {
      const message = refusal(secret)?.message ?? "";
      expect(message).not.toContain(secret.slice(0, 8));
    }
  });

  it("says how to generate a good secret when refusing a weak one", () => {
    const { message } = refusal("ab".repeat(32)) ?? { message: "" };
    expect(message).toContain("openssl rand -base64 32");
    expect(message).toContain(
      `node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    );
  });

  it("names the format and the fix in the other refusals", () => {
    expect(refusal(OPENSSL_HEX.slice(0, 32))?.message).toMatch(
      /16 bytes.*hex.*openssl rand -hex 32/,
    );
    expect(refusal(OPENSSL_HEX.slice(0, 63))?.message).toMatch(/odd number of hex digits \(63\)/);
    expect(refusal(`${OPENSSL_BASE64}\n`)?.message).toMatch(/"\\n".*-A/);
    expect(refusal(`${SAME.base64.slice(0, 10)}-${SAME.base64.slice(11)}`)?.message).toMatch(
      /mixes the base64 .* and base64url .* alphabets/,
    );
    expect(refusal("")?.message).toMatch(/empty/);
    expect(refusal(42)?.message).toMatch(/Uint8Array or a hex, base64 or base64url string, got 42/);
  });

  it("refuses weak hex and base64 in production even with allowWeakSecrets", () => {
    vi.stubEnv("NODE_ENV", "production");
    for (const secret of ["ab".repeat(32), Buffer.alloc(32).toString("base64")]) {
      expect(refusal(secret, { allowWeakSecrets: true })?.code).toBe("ERR_SIGNING_WEAK_SECRET");
    }
  });
});
