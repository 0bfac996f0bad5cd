/**
 * Longest key a store must accept, in characters of the base64url alphabet.
 * 128 fits every hash a caller would use as a key: SHA-256 as base64url (43)
 * or hex (64), SHA-512 as base64url (86) or hex (128); and with a driver's
 * prefix it stays far below Memcached's 250-byte key limit (protocol.txt, "Keys").
 *
 * @example
 * ```ts
 * if (key.length > MAX_KEY_LENGTH) throw new Error("key too long");
 * ```
 */
export const MAX_KEY_LENGTH = 128;

/**
 * Longest `userId`, in UTF-16 code units; 255 so that SQL drivers can use `VARCHAR(255)`.
 *
 * @example
 * ```ts
 * validateUserId("u".repeat(MAX_USER_ID_LENGTH)); // ok
 * ```
 */
export const MAX_USER_ID_LENGTH = 255;

/**
 * Value size (UTF-8 bytes) every conforming store must accept: 64 KiB, the
 * session manager's default cap on a serialised session (payloads stay capped).
 * Stores may accept more; the conformance suite tests up to this size by default.
 *
 * @example
 * ```ts
 * describeStore("mine", () => new MyStore(), { maxValueBytes: MIN_VALUE_BYTES });
 * ```
 */
export const MIN_VALUE_BYTES = 65_536;
