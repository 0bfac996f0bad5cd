import { joinChunks, parseCookieAll } from "@tessera/cookie";

/** What the request carried under the session cookie's name (and its chunks). */
export interface SessionCookies {
  /** The single value to verify, or undefined (absent, or chunks that do not reassemble). */
  value: string | undefined;
  /** Some name of this session arrived more than once (CK-09, decision 1). */
  duplicate: boolean;
  /** First value of every cookie name belonging to this session: `incoming` for chunk clean-up. */
  present: Record<string, string>;
}

// Session cookies are read raw: percent-decoding would give one signed value
// several spellings (CK-10), and quotes are not part of our alphabet.
const RAW = { decode: false, unquote: false } as const;
// Chunked sealed sessions may legitimately exceed the parser's default 8 KiB;
// the reassembled value is still capped at MAX_SEALED_LENGTH before decoding.
const RAW_CHUNKED = { decode: false, unquote: false, maxBytes: 20_480 } as const;

function belongs(key: string, name: string): boolean {
  return key.length > name.length + 1 && key.startsWith(name) && key.charCodeAt(name.length) === 46;
}

/**
 * One pass over the `Cookie` header keeping every value of the session name,
 * so a tossed twin is seen (T-D31). Names compare case-sensitively (CK-13).
 */
export function readSessionCookies(
  header: string,
  name: string,
  withChunks: boolean,
): SessionCookies {
  const present: Record<string, string> = Object.create(null);
  if (header === "") return { value: undefined, duplicate: false, present };
  const all = parseCookieAll(header, withChunks ? RAW_CHUNKED : RAW);
  let duplicate = false;
  const own = all[name];
  if (own !== undefined) {
    present[name] = own[0]!;
    if (own.length > 1) duplicate = true;
  }
  if (!withChunks) return { value: own?.[0], duplicate, present };
  for (const key of Object.keys(all)) {
    if (!belongs(key, name)) continue;
    const values = all[key]!;
    present[key] = values[0]!;
    if (values.length > 1) duplicate = true;
  }
  // joinChunks refuses missing, extra, out-of-range or mixed chunk sets (SL-04, T-B38).
  return { value: joinChunks(present, name), duplicate, present };
}
