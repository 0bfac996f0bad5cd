import { createHash } from "node:crypto";
import { StoreError, validateKey } from "@tessera/store";

/** Memcached's key limit in bytes (protocol.txt, "Keys"). */
export const MAX_MEMCACHED_KEY_BYTES = 250;

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
