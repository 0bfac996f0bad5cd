import { type CookieHeader, CookieRecord, headerText, type Limits, tryDecode } from "./header.js";

/**
 * How {@link readPairs} stores a pair: `"first"` keeps the first value of each
 * name and skips later ones before their value is sliced or decoded
 * ({@link parseCookie}); `"all"` appends every value to its name's list, in
 * header order ({@link parseCookieAll}).
 */
export type Collector = "first" | "all";

/**
 * The one loop over a `Cookie` header (RFC 6265bis §5.7) behind
 * {@link parseCookie} and {@link parseCookieAll}: they differ only in the
 * collector, and in `only` (a cookie name: that name and its chunks are kept,
 * every other pair is skipped before it is sliced, decoded or counted).
 *
 * Pairs split on ";", name and value trimmed of spaces and tabs; pairs
 * without "=" or with an empty name are skipped; reading stops after
 * `maxBytes` or `maxPairs` named pairs. One pass with native searches and no
 * regular expressions: linear time on any string. Never throws.
 */
export const readPairs: (
  header: CookieHeader,
  limits: Limits,
  only: string | undefined,
  collector: Collector,
) => Record<string, string | string[]> = /* @__PURE__ */ createReader();

/**
 * Builds {@link readPairs} around string methods taken once from
 * `String.prototype` and called as `indexOf.call(str, ...)`.
 *
 * A method call `str.indexOf(...)` first loads `indexOf` from the string, and
 * V8 records there which kinds of string it saw (flat, concatenated, sliced,
 * one- or two-byte: each has its own map). Once a few thousand odd headers
 * have shown it five kinds, that load goes megamorphic and the re-optimised
 * parser looks each method up on every call. Called through `.call` on a
 * constant, the target is known whatever the string. They are constants of
 * this function, not of the module, because the bundler turns module-level
 * `const` into `var`, which V8 cannot treat as constant (callgrind: a
 * one-cookie parse after a hostile corpus, 1,900 instructions before, 1,400
 * with these, where cookie@2 takes 1,500).
 */
function createReader() {
  const { charCodeAt, indexOf, lastIndexOf, slice, startsWith } = String.prototype;

  /**
   * Recently seen cookie names, one per slot. A server sees the same few
   * names on every request; reusing the string that already served as a
   * property key spares a slice and a string-table lookup per pair (about 15%
   * of a parse). Names only, never values; fixed size, so an attacker cannot
   * grow it.
   */
  const NAMES: (string | undefined)[] = new Array(256).fill(undefined);

  /**
   * Slot of the name at `str[start, end)` in `NAMES`: a cheap hash of its
   * length and first and last characters, which the loop also uses to skip
   * the duplicate lookup for names it has certainly not seen yet.
   */
  function nameSlot(str: string, start: number, end: number): number {
    return (
      ((end - start) * 31 + charCodeAt.call(str, start) + charCodeAt.call(str, end - 1) * 7) & 255
    );
  }

  /** `str.slice(start, end)`, served from `NAMES` (at `slot`) when possible. */
  function sliceName(str: string, start: number, end: number, slot: number): string {
    const length = end - start;
    if (length > 24) return slice.call(str, start, end);
    const cached = NAMES[slot];
    if (cached !== undefined && cached.length === length && startsWith.call(str, cached, start)) {
      return cached;
    }
    // V8 copies slices shorter than 13 characters but makes longer ones views
    // into the parent: a cached view would keep a whole (maybe huge) header
    // alive. Two short slices joined hold only their own characters.
    const name =
      length <= 12
        ? slice.call(str, start, end)
        : slice.call(str, start, start + 12) + slice.call(str, start + 12, end);
    NAMES[slot] = name;
    return name;
  }

  /**
   * True when the name at `str[start, end)` is `family` itself or `family`
   * followed by "." and at least one character (one of its chunks).
   */
  function inFamily(str: string, start: number, end: number, family: string): boolean {
    const length = end - start;
    const n = family.length;
    if (length !== n && (length < n + 2 || charCodeAt.call(str, start + n) !== 0x2e)) return false;
    return startsWith.call(str, family, start);
  }

  /**
   * The first `maxBytes` characters of `header`, minus a trailing pair that
   * the limit cuts (a pair is whole when ";" or the end follows it), so a cut
   * never truncates a value. Slices are views in V8: every later scan is
   * bounded by `maxBytes`, whatever the size of the input.
   */
  function truncate(header: string, maxBytes: number): string {
    const head = slice.call(header, 0, maxBytes);
    if (charCodeAt.call(header, maxBytes) === 0x3b) return head;
    const last = lastIndexOf.call(head, ";");
    return last === -1 ? "" : slice.call(head, 0, last);
  }

  return function readPairs(
    header: CookieHeader,
    limits: Limits,
    only: string | undefined,
    collector: Collector,
  ): Record<string, string | string[]> {
    const out = new CookieRecord() as Record<string, string | string[]>;
    const { decode, unquote, maxBytes, maxPairs } = limits;
    const all = collector === "all";
    // `"" +` leaves a string as it is but makes V8 check once that it is a
    // string, so `.length` is read directly instead of through a lookup that
    // odd headers make megamorphic (callgrind, one-cookie parse after the
    // hostile corpus: 1,500 instructions without, 1,400 with; String() would
    // do the same through a builtin call, 40 instructions more).
    let str = "" + (typeof header === "string" ? header : headerText(header));
    let len = str.length;
    if (len > maxBytes) {
      str = "" + truncate(str, maxBytes);
      len = str.length;
    }
    let pairs = 0;
    // Position of the next "%" at or after the current value, searched lazily
    // so that a header without any "%" costs one native scan in total.
    let pct = -1;
    let eq = -1;
    // One bit per name hash: a name whose bit is not yet set cannot be a
    // duplicate, so most pairs skip the keyed lookup that first-wins needs.
    let seen = 0;
    let i = 0;
    while (i < len) {
      let end = indexOf.call(str, ";", i);
      if (end === -1) end = len;
      // Native search for "=", remembered across pairs: when a pair has no "="
      // the hit lies beyond it and serves the following pairs, so the header
      // is scanned for "=" once in total (linear even for "a;a;a;...;=").
      if (eq < i) {
        eq = indexOf.call(str, "=", i);
        if (eq === -1) eq = len;
      }
      if (eq >= end) {
        // No "=" before the next ";": every pair up to the one holding it is
        // nameless. Jump straight to that pair (or stop if there is none).
        if (eq === len) break;
        i = lastIndexOf.call(str, ";", eq - 1) + 1;
        continue;
      }
      let ns = i;
      let ne = eq;
      let c = charCodeAt.call(str, ns);
      while (ns < ne && (c === 0x20 || c === 0x09)) c = charCodeAt.call(str, ++ns);
      c = charCodeAt.call(str, ne - 1);
      while (ne > ns && (c === 0x20 || c === 0x09)) c = charCodeAt.call(str, --ne - 1);
      if (ns < ne && (only === undefined || inFamily(str, ns, ne, only))) {
        if (++pairs > maxPairs) break;
        const slot = nameSlot(str, ns, ne);
        const name = sliceName(str, ns, ne, slot);
        const bit = 1 << (slot & 31);
        if (all || (seen & bit) === 0 || out[name] === undefined) {
          seen |= bit;
          let vs = eq + 1;
          let ve = end;
          c = charCodeAt.call(str, vs);
          while (vs < ve && (c === 0x20 || c === 0x09)) c = charCodeAt.call(str, ++vs);
          c = charCodeAt.call(str, ve - 1);
          while (ve > vs && (c === 0x20 || c === 0x09)) c = charCodeAt.call(str, --ve - 1);
          if (
            unquote &&
            ve - vs >= 2 &&
            charCodeAt.call(str, vs) === 0x22 &&
            charCodeAt.call(str, ve - 1) === 0x22
          ) {
            vs++;
            ve--;
          }
          let value = slice.call(str, vs, ve);
          if (decode) {
            if (pct !== len && pct < vs) {
              pct = indexOf.call(str, "%", vs);
              if (pct === -1) pct = len;
            }
            if (pct < ve) value = tryDecode(value);
          }
          if (!all) out[name] = value;
          else {
            const list = out[name] as string[] | undefined;
            if (list === undefined) out[name] = [value];
            else list.push(value);
          }
        }
      }
      i = end + 1;
    }
    return out;
  };
}
