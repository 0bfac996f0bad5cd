const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function base64url(bytes: Uint8Array): string {
  // RFC 4648 §5 without padding: 6 bits per character, most significant first.
  let out = "";
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(buffer >> bits) & 63];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (6 - bits)) & 63];
  return out;
}

/**
 * A random store key shaped like the ones the session manager writes: 32
 * random bytes as 43 base64url characters (the length of a SHA-256 hash).
 * Reads `crypto.getRandomValues` lazily, so importing never fails.
 *
 * @example
 * ```ts
 * const key = randomKey(); // "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"
 * ```
 */
export function randomKey(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * A random user id unlikely to collide with real data on a shared test server.
 *
 * @example
 * ```ts
 * await store.set(randomKey(), { value: "v", expiresAt: Date.now() + 60_000, userId: randomUserId() });
 * ```
 */
export function randomUserId(): string {
  return `conformance-user-${base64url(crypto.getRandomValues(new Uint8Array(12)))}`;
}
