/**
 * UTF-8 length of `value` without allocating (TextEncoder would copy it).
 * A lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD for it.
 *
 * @example
 * ```ts
 * utf8ByteLength("é€😀"); // 2 + 3 + 4 = 9
 * ```
 */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** True when `value` is at most `max` UTF-8 bytes; counts only when it could exceed. */
export function fitsUtf8(value: string, max: number): boolean {
  // One UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no count.
  if (value.length * 3 <= max) return true;
  if (value.length > max) return false;
  return utf8ByteLength(value) <= max;
}
