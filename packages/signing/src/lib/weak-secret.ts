/**
 * Heuristics for secrets that are passwords or copied examples rather than
 * CSPRNG output (RFC 8725 §3.5: never use a human password as a key). Each rule is chosen so that
 * 32 random bytes (or their hex, base64 or base64url text) trip it with
 * negligible probability, noted beside the rule, while the usual mistakes do
 * not pass.
 */

import { readSecretText } from "./secret-text.js";

// Phrases from framework READMEs, tutorials and .env examples. A random
// 43-char base64url string contains a given 6-letter phrase (any case) with
// probability < 1e-7.
const KNOWN = [
  "keyboard cat",
  "keyboardcat",
  "keyboard_cat",
  "changeme",
  "change_me",
  "change-me",
  "changethis",
  "password",
  "passw0rd",
  "secret",
  "example",
  "complex_password",
  "at_least_32",
  "replace_me",
  "replace-me",
  "placeholder",
  "default",
  "qwerty",
  "123456",
  "abcdef",
];

/** Shortest repeating period (≤ 16) of a sequence, or 0 if none. */
function period(length: number, at: (i: number) => number): number {
  for (let p = 1; p <= 16 && p * 2 <= length; p++) {
    let repeats = true;
    for (let i = p; i < length; i++) {
      if (at(i) !== at(i - p)) {
        repeats = false;
        break;
      }
    }
    if (repeats) return p;
  }
  return 0;
}

/** Why a text secret looks weak, or undefined. */
export function weakText(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (const phrase of KNOWN) {
    if (lower.includes(phrase)) return `contains the well-known phrase "${phrase}"`;
  }
  const p = period(text.length, (i) => text.charCodeAt(i));
  if (p > 0) return `repeats a ${p}-character pattern`;
  // 43 random base64url chars are all hex digits with probability
  // (22/64)^43 < 1e-19; one-case hex is read as hex before this, so this is
  // hex typed or edited by hand.
  if (/^[0-9a-fA-F]+$/.test(text)) {
    return "uses only hex digits, in both cases (hex from a generator uses one case)";
  }
  // 43 random base64url chars lack an upper- (or lower-) case letter with
  // probability (38/64)^43 ≈ 2e-10: a one-case string is a phrase, not a key.
  if (!/[A-Z]/.test(text) || !/[a-z]/.test(text)) {
    return "uses a single letter case, like a typed phrase";
  }
  // 43 random base64url chars show about 31.6 distinct characters.
  if (new Set(text).size < 16) return "uses fewer than 16 distinct characters";
  return undefined;
}

/**
 * Why a hex secret looks weak, or undefined. `bytes` is its decoded value, at
 * least 32 bytes. The base64 phrase list does not apply: 64 random hex digits
 * hold "abcdef" or "123456" with probability about 7e-6, far too often.
 */
export function weakHex(text: string, bytes: Uint8Array): string | undefined {
  const p = period(text.length, (i) => text.charCodeAt(i));
  if (p > 0) return `repeats a ${p}-digit pattern`;
  // 64 random hex digits are all decimal with probability (10/16)^64 < 1e-13.
  if (!/[a-fA-F]/.test(text)) return "uses only decimal digits, like a number typed by hand";
  // 64 random hex digits show fewer than 10 of the 16 with probability < 1e-11.
  if (new Set(text.toLowerCase()).size < 10) return "uses fewer than 10 distinct hex digits";
  return weakBytes(bytes);
}

/** Why a byte secret looks weak, or undefined. */
export function weakBytes(bytes: Uint8Array): string | undefined {
  // 32 random bytes are all printable ASCII with probability (95/256)^32 ≈ 2e-14:
  // such bytes are encoded text, so judge the text.
  let printable = true;
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e) {
      printable = false;
      break;
    }
  }
  if (printable) return weakTextBytes(bytes);
  const p = period(bytes.length, (i) => bytes[i]!);
  if (p > 0) return `repeats a ${p}-byte pattern`;
  // 32 random bytes show about 30 distinct values.
  if (new Set(bytes).size < 16) return "uses fewer than 16 distinct byte values";
  return undefined;
}

const ascii = new TextDecoder();

/** Judges printable ASCII bytes as the text they are (e.g. a secret file read as bytes). */
function weakTextBytes(bytes: Uint8Array): string | undefined {
  const text = ascii.decode(bytes);
  const read = readSecretText(text);
  // The text of a hex secret is judged as hex, by the 256 bits its digits
  // carry; any other text by the base64 rules, as before.
  if (read.format !== "hex") return weakText(text);
  if (read.bytes === null || read.bytes.length < 32) {
    return `is the text of ${text.length} hex digits; a hex secret needs 64 (32 bytes)`;
  }
  return weakHex(text, read.bytes);
}
