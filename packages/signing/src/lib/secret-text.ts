import { hexToBytes } from "@noble/hashes/utils.js";
import { decode } from "./b64.js";

/**
 * How a text secret is read. The rule, in order:
 *
 * 1. Only hex digits, all in one case (`0-9a-f` or `0-9A-F`): hex
 *    (`openssl rand -hex 32`), with an even number of digits.
 * 2. Anything else: base64 (RFC 4648 §4, `openssl rand -base64 32`) or
 *    base64url (§5, `randomToken(32)`). The two share all but two characters
 *    (`+`/`/` against `-`/`_`), so one reader takes either alphabet, never both
 *    in one string; `=` padding is optional, but when present it is complete
 *    and only at the end; unused trailing bits are zero.
 *
 * Hex comes first because a hex string is also valid base64url text, and
 * reading it as base64url would credit each digit with 6 bits instead of 4: 43
 * hex digits (172 bits) would pass as a 32-byte key. The other way round is
 * safe: 43 characters of random base64url are all hex digits of one case with
 * probability 2 * (16/64)^43 < 1e-25, and such a string was always refused as
 * a one-case phrase, so no secret accepted before changes meaning.
 */
export type SecretFormat = "hex" | "base64" | "base64url";

/** A text secret read by {@link readSecretText}. */
export interface SecretText {
  readonly format: SecretFormat;
  /** The decoded bytes, or null when the text is not valid in its format. */
  readonly bytes: Uint8Array | null;
  /** Why the text is not valid, when `bytes` is null. Never quotes the secret. */
  readonly invalid: string | undefined;
  /** For base64 and base64url: the text as unpadded base64url, else the text itself. */
  readonly normal: string;
}

const HEX = /^(?:[0-9a-f]+|[0-9A-F]+)$/;
const NOT_B64 = /[^A-Za-z0-9+/_=-]/;

/** Recognises the format of a text secret and decodes it (see {@link SecretFormat}). */
export function readSecretText(text: string): SecretText {
  if (HEX.test(text)) {
    if (text.length % 2 === 1) {
      return {
        format: "hex",
        bytes: null,
        invalid: `has an odd number of hex digits (${text.length})`,
        normal: text,
      };
    }
    return { format: "hex", bytes: hexToBytes(text), invalid: undefined, normal: text };
  }
  let body = text;
  while (body.endsWith("=")) body = body.slice(0, -1);
  const padding = text.length - body.length;
  const standard = /[+/]/.test(body);
  const url = /[-_]/.test(body);
  const format: SecretFormat = standard || (padding > 0 && !url) ? "base64" : "base64url";
  const normal = standard ? body.replace(/\+/g, "-").replace(/\//g, "_") : body;
  const fail = (invalid: string): SecretText => ({ format, bytes: null, invalid, normal: text });
  const bad = NOT_B64.exec(text)?.[0];
  if (bad !== undefined) {
    // A character outside both alphabets is not part of the secret's entropy,
    // so naming it (a quote, a newline) leaks nothing and shows the fix.
    return fail(
      `holds ${JSON.stringify(bad)}, which is in neither the base64 nor the base64url alphabet` +
        (/\s/.test(bad)
          ? " (trim the value; openssl wraps base64 output at 64 characters unless given -A)"
          : ""),
    );
  }
  if (standard && url) return fail("mixes the base64 (+ /) and base64url (- _) alphabets");
  if (body.includes("=") || padding > 2 || (padding > 0 && text.length % 4 !== 0)) {
    return fail("has = padding that is misplaced or does not match its length");
  }
  const bytes = decode(normal);
  if (bytes === null) {
    return fail(
      normal.length % 4 === 1
        ? `has a length (${normal.length} characters without padding) that no ${format} text has`
        : "has non-zero unused bits in its last character (not canonical)",
    );
  }
  return { format, bytes, invalid: undefined, normal };
}
