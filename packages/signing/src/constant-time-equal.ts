/**
 * Compares two byte arrays in time that depends only on their lengths, never
 * on where they differ (never `===` on MACs: ASVS 4.0.3 6.2.8). Lengths are public (a MAC's length
 * is fixed), so a length mismatch returns `false` at once instead of throwing
 * as Node's `timingSafeEqual` does. @noble/hashes 2 ships no `equalBytes`.
 *
 * @example
 * ```ts
 * constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 * constantTimeEqual(new Uint8Array(32), new Uint8Array(31));          // false
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return false;
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Compares two strings of public, equal length (e.g. a received MAC text and
 * the expected one) without an early exit or a branch on their content.
 * Internal; not exported from the package.
 */
export function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
