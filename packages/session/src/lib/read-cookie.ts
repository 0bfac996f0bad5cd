import { joinChunks, parseCookieAll } from "@tessera/cookie";

/**
 * Most names of this session worth keeping: the writer makes at most 17
 * chunks (64 KiB at 4 KiB each). Past it the set is not one we wrote, and the
 * clean-up lines a response sends for them stay bounded.
 */
const MAX_NAMES = 64;

/** What the request carried under the session cookie's name (and its chunks). */
export interface SessionCookies {
  /** The single value to verify, or undefined (absent, or chunks that do not reassemble). */
  value: string | undefined;
  /** Some name of this session arrived more than once, anywhere in the header. */
  duplicate: boolean;
  /** The header is longer than the search limit: a second copy could hide past it. */
  tooLarge: boolean;
  /** First value of every cookie name belonging to this session: `incoming` for chunk clean-up. */
  present: Record<string, string>;
}

/**
 * Every value of the session's own names (`name` and `name.N`), from the
 * whole `Cookie` header up to `limit` characters, so a tossed twin is seen
 * wherever it is: an attacker who puts their cookie first and pads the header
 * (or plants hundreds of small cookies) cannot push the victim's own copy out
 * of sight. Other cookies are skipped unread and do not count toward the
 * parser's pair limit. Read raw: percent-decoding would give one signed value
 * several spellings, and quotes are not part of our alphabet. Names compare
 * case-sensitively, as browsers send them.
 *
 * A header longer than `limit` is not searched past it and reports
 * `tooLarge` with no value: the first copy of the cookie must never win just
 * because a second one lies beyond what was read.
 */
export function readSessionCookies(
  header: string,
  name: string,
  withChunks: boolean,
  limit: number,
): SessionCookies {
  const present: Record<string, string> = Object.create(null);
  if (header === "") return { value: undefined, duplicate: false, tooLarge: false, present };
  const tooLarge = header.length > limit;
  const all = parseCookieAll(header, {
    decode: false,
    unquote: false,
    maxBytes: limit,
    maxPairs: Infinity,
    only: name,
  });
  let duplicate = false;
  let names = 0;
  for (const key of Object.keys(all)) {
    if (!withChunks && key !== name) continue;
    const values = all[key]!;
    if (++names <= MAX_NAMES) present[key] = values[0]!;
    if (values.length > 1) duplicate = true;
  }
  if (tooLarge || duplicate || names > MAX_NAMES) {
    return { value: undefined, duplicate, tooLarge, present };
  }
  // joinChunks refuses missing, extra, out-of-range or mixed chunk sets.
  const value = withChunks ? joinChunks(present, name) : present[name];
  return { value, duplicate, tooLarge, present };
}
