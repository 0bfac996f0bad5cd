// PostgreSQL `text` cannot hold U+0000 (it rejects the string with SQLSTATE
// 22021), yet the store contract requires every string to round-trip. Values
// and user ids that contain NUL, or that begin with the marker U+0001, are
// stored as U+0001 followed by an escaped body (U+0001 -> U+0001 U+0001,
// U+0000 -> U+0001 U+0002). Every other string, including everything the
// session manager writes, is stored unchanged. The mapping is injective, so
// equality lookups on escaped user ids still work.
const MARK = "\u0001";

export function encodePgText(text: string): string {
  if (text.charCodeAt(0) !== 1 && !text.includes("\u0000")) return text;
  return MARK + text.replaceAll(MARK, "\u0001\u0001").replaceAll("\u0000", "\u0001\u0002");
}

export function decodePgText(stored: string): string {
  if (stored.charCodeAt(0) !== 1) return stored;
  let out = "";
  let from = 1;
  for (let at = stored.indexOf(MARK, from); at !== -1; at = stored.indexOf(MARK, from)) {
    out += stored.slice(from, at) + (stored.charCodeAt(at + 1) === 2 ? "\u0000" : MARK);
    from = at + 2;
  }
  return out + stored.slice(from);
}
