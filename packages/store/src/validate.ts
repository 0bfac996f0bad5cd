import type { SetOptions, StoreEntryInput } from "./contract.js";
import { StoreError } from "./errors.js";
import { fitsUtf8 } from "./lib/utf8.js";
import { MAX_KEY_LENGTH, MAX_USER_ID_LENGTH } from "./limits.js";

// base64url alphabet, RFC 4648 §5: ALPHA / DIGIT / "-" / "_" (no padding).
// It contains hex, so hex-encoded hashes are valid keys too.
const KEY = /^[A-Za-z0-9_-]+$/;

function show(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  return typeof value;
}

/**
 * Checks a store key: 1 to {@link MAX_KEY_LENGTH} characters of the base64url
 * alphabet (RFC 4648 §5). Returns the key; throws `ERR_STORE_INVALID_KEY`.
 * Keys are case-sensitive: `abc` and `ABC` are different entries.
 *
 * @example
 * ```ts
 * validateKey("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"); // returns it
 * validateKey("a b"); // throws StoreError ERR_STORE_INVALID_KEY
 * ```
 */
export function validateKey(key: string): string {
  if (typeof key !== "string" || key.length > MAX_KEY_LENGTH || !KEY.test(key)) {
    throw new StoreError(
      "ERR_STORE_INVALID_KEY",
      `key is invalid: ${show(key)} (expected 1-${MAX_KEY_LENGTH} base64url characters)`,
    );
  }
  return key;
}

/**
 * Checks an `expiresAt` instant: a safe integer of epoch milliseconds
 * (negative and past instants are valid; they mean "delete"). Returns it;
 * throws `ERR_STORE_INVALID_EXPIRY`. NaN or Infinity would otherwise become
 * "never expires" in some backends (a session must always have a future expiry), and integers round-trip exactly
 * through every backend (SQL `BIGINT`, Redis strings).
 *
 * @example
 * ```ts
 * validateExpiresAt(Date.now() + 60_000); // returns it
 * validateExpiresAt(Number.NaN); // throws
 * ```
 */
export function validateExpiresAt(expiresAt: number): number {
  if (typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt)) {
    throw new StoreError(
      "ERR_STORE_INVALID_EXPIRY",
      `expiresAt is invalid: ${show(expiresAt)} (expected integer epoch milliseconds)`,
    );
  }
  return expiresAt;
}

// A lone surrogate: a UTF-16 code unit with no partner, which has no UTF-8
// form (with the u flag, a well-formed pair is one code point and never
// matches). Unicode property escapes run on every runtime we support, unlike
// String.prototype.isWellFormed (Safari 16.4, Firefox 119).
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * What a valid `userId` must be, or `undefined` when `userId` is one: a
 * non-empty string of at most {@link MAX_USER_ID_LENGTH} UTF-16 code units
 * that is well-formed Unicode. The one rule behind {@link validateUserId},
 * for packages that throw their own typed errors (the session manager, the
 * token service).
 *
 * Well-formed matters because Redis, PostgreSQL, MySQL and Memcached store a
 * lone surrogate as U+FFFD: `"a\uD800"` and `"a\uDC00"` would become one
 * user, and revoking one would revoke the other.
 *
 * @example
 * ```ts
 * userIdProblem("user-42"); // undefined
 * userIdProblem("a\uD800"); // "well-formed Unicode (no lone surrogates)"
 * ```
 */
export function userIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== "string" || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    return `a string of 1-${MAX_USER_ID_LENGTH} characters`;
  }
  if (LONE_SURROGATE.test(userId)) return "well-formed Unicode (no lone surrogates)";
  return undefined;
}

/**
 * Checks a `userId`: a non-empty string of at most {@link MAX_USER_ID_LENGTH}
 * code units, well-formed Unicode (see {@link userIdProblem}). Returns it;
 * throws `ERR_STORE_INVALID_USER_ID`.
 *
 * @example
 * ```ts
 * validateUserId("user-42"); // returns it
 * validateUserId("a\uD800"); // throws StoreError ERR_STORE_INVALID_USER_ID
 * ```
 */
export function validateUserId(userId: string): string {
  const problem = userIdProblem(userId);
  if (problem !== undefined) {
    throw new StoreError(
      "ERR_STORE_INVALID_USER_ID",
      `userId is invalid: ${show(userId)} (expected ${problem})`,
    );
  }
  return userId;
}

/**
 * Checks an entry to be written: `value` a string of at most `maxValueBytes`
 * UTF-8 bytes, `expiresAt` an integer, `userId` absent or valid. Returns the
 * entry; throws `ERR_STORE_INVALID_VALUE`, `ERR_STORE_VALUE_TOO_LARGE`,
 * `ERR_STORE_INVALID_EXPIRY` or `ERR_STORE_INVALID_USER_ID`.
 *
 * @example
 * ```ts
 * validateEntry({ value: "e30", expiresAt: Date.now() + 60_000 }, 65_536);
 * ```
 */
export function validateEntry(entry: StoreEntryInput, maxValueBytes: number): StoreEntryInput {
  if (typeof entry !== "object" || entry === null) {
    throw new StoreError("ERR_STORE_INVALID_VALUE", `entry is invalid: ${show(entry)}`);
  }
  if (typeof entry.value !== "string") {
    throw new StoreError(
      "ERR_STORE_INVALID_VALUE",
      `entry.value is invalid: ${show(entry.value)} (expected a string)`,
    );
  }
  if (!fitsUtf8(entry.value, maxValueBytes)) {
    throw new StoreError(
      "ERR_STORE_VALUE_TOO_LARGE",
      `entry.value is larger than ${maxValueBytes} UTF-8 bytes`,
    );
  }
  validateExpiresAt(entry.expiresAt);
  if (entry.userId !== undefined) validateUserId(entry.userId);
  return entry;
}

/**
 * Checks the options of `set`: `expectVersion` absent or a non-negative safe
 * integer. Returns the expected version or `undefined`; throws `ERR_STORE_INVALID_VERSION`.
 *
 * @example
 * ```ts
 * validateSetOptions({ expectVersion: 0 }); // 0
 * validateSetOptions(undefined); // undefined
 * ```
 */
export function validateSetOptions(options: SetOptions | undefined): number | undefined {
  const expected = options?.expectVersion;
  if (expected === undefined) return undefined;
  if (typeof expected !== "number" || !Number.isSafeInteger(expected) || expected < 0) {
    throw new StoreError(
      "ERR_STORE_INVALID_VERSION",
      `expectVersion is invalid: ${show(expected)} (expected an integer >= 0)`,
    );
  }
  return expected;
}
