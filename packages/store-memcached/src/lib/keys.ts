import { createHash } from "node:crypto";
import { StoreError, validateKey } from "@tessera/store";

/** Memcached's key limit in bytes (protocol.txt, "Keys"). */
export const MAX_MEMCACHED_KEY_BYTES = 250;

/** Longest prefix accepted: leaves room for a 128-character key (`MAX_KEY_LENGTH`) and the index keys. */
export const MAX_PREFIX_LENGTH = 100;

// protocol.txt "Keys": no control characters or whitespace. We also keep to
// printable ASCII so a prefix means the same bytes on every client.
const PREFIX = /^[\x21-\x7e]*$/;

/** @internal Returns the prefix or throws `ERR_STORE_INVALID_OPTION` naming it. */
export function validatePrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || prefix.length > MAX_PREFIX_LENGTH || !PREFIX.test(prefix)) {
    throw new StoreError(
      "ERR_STORE_INVALID_OPTION",
      `option prefix is invalid: ${JSON.stringify(prefix)} (expected up to ${MAX_PREFIX_LENGTH} printable ASCII characters, no spaces)`,
    );
  }
  return prefix;
}

/**
 * @internal The Memcached key of a store key. The store key is checked by the
 * contract's `validateKey` (base64url, at most 128 characters), so with a
 * valid prefix it is always ASCII without spaces or control characters and
 * at most 228 bytes; the length is checked again because a `\r\n` or an
 * over-long key on the text protocol is command injection.
 */
export function memcachedKey(prefix: string, key: string): string {
  const full = prefix + validateKey(key);
  if (full.length > MAX_MEMCACHED_KEY_BYTES) {
    throw new StoreError(
      "ERR_STORE_INVALID_KEY",
      `key is invalid: prefix + key is ${full.length} bytes (Memcached allows ${MAX_MEMCACHED_KEY_BYTES})`,
    );
  }
  return full;
}

/**
 * @internal The key of a user's index item. User ids are arbitrary Unicode,
 * so they are hashed; the ":" cannot occur in a base64url session key, so an
 * index key never collides with a session key under the same prefix.
 */
export function indexKey(prefix: string, userId: string): string {
  return `${prefix}u:${createHash("sha256").update(userId, "utf8").digest("hex")}`;
}
