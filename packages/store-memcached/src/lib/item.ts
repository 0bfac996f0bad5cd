import { StoreError } from "@tessera/store";

/** @internal UTF-8 length of a string without allocating it: the store package's one count. */
export { utf8ByteLength as utf8Length } from "@tessera/store/driver";

/** A session item as kept in Memcached: the entry plus its owner's index generation. */
export interface SessionItem {
  value: string;
  expiresAt: number;
  version: number;
  userId: string | undefined;
  /** Generation of the owner's index item this session is bound to ("" when anonymous). */
  generation: string;
}

/** A per-user index item: a generation and the member keys with their recorded expiry. */
export interface IndexItem {
  generation: string;
  /** Member store keys (unprefixed) to the latest instant (epoch ms) they may live. */
  members: Record<string, number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

// Session item layout, one UTF-8 string:
//   "s1:" version ":" expiresAt ":" generation ":" userIdLength ":" userId value
// The header is plain ASCII digits and hex, so no field can contain ":"; the
// userId is length-prefixed (UTF-16 units) and the value runs to the end, so
// neither needs escaping. Measured against JSON.stringify([...]) it is smaller
// (no quoting or escaping of the value) and decodes without a JSON parse.
const MAGIC = "s1:";

/** @internal */
export function encodeSessionItem(item: SessionItem): Uint8Array {
  const userId = item.userId ?? "";
  return encoder.encode(
    `${MAGIC}${item.version}:${item.expiresAt}:${item.generation}:${item.userId === undefined ? "-" : userId.length}:${userId}${item.value}`,
  );
}

function corrupt(what: string): StoreError {
  return new StoreError("ERR_STORE_BACKEND", `corrupt Memcached session item: ${what}`);
}

function field(text: string, from: number): [string, number] {
  const end = text.indexOf(":", from);
  if (end < 0) throw corrupt("truncated header");
  return [text.slice(from, end), end + 1];
}

function integer(text: string, what: string): number {
  const n = Number(text);
  if (text === "" || !Number.isSafeInteger(n)) throw corrupt(`bad ${what}`);
  return n;
}

/** @internal Throws `ERR_STORE_BACKEND` on anything this module did not write. */
export function decodeSessionItem(bytes: Uint8Array): SessionItem {
  const text = decoder.decode(bytes);
  if (!text.startsWith(MAGIC)) throw corrupt("unknown format");
  let at = MAGIC.length;
  const [version, afterVersion] = field(text, at);
  const [expiresAt, afterExpiry] = field(text, afterVersion);
  const [generation, afterGeneration] = field(text, afterExpiry);
  const [userIdLength, afterLength] = field(text, afterGeneration);
  at = afterLength;
  let userId: string | undefined;
  if (userIdLength !== "-") {
    const length = integer(userIdLength, "userId length");
    if (length < 0 || at + length > text.length) throw corrupt("bad userId length");
    userId = text.slice(at, at + length);
    at += length;
  }
  return {
    version: integer(version, "version"),
    expiresAt: integer(expiresAt, "expiresAt"),
    generation,
    userId,
    value: text.slice(at),
  };
}

/** @internal */
export function encodeIndexItem(item: IndexItem): Uint8Array {
  return encoder.encode(JSON.stringify({ g: item.generation, m: item.members }));
}

/** @internal */
export function decodeIndexItem(bytes: Uint8Array): IndexItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new StoreError("ERR_STORE_BACKEND", "corrupt Memcached index item", { cause });
  }
  const { g, m } = (parsed ?? {}) as { g?: unknown; m?: unknown };
  if (typeof g !== "string" || typeof m !== "object" || m === null || Array.isArray(m)) {
    throw new StoreError("ERR_STORE_BACKEND", "corrupt Memcached index item");
  }
  // A null-prototype copy: member keys come from the server and "__proto__" must stay data.
  const members: Record<string, number> = Object.create(null);
  for (const [key, expiry] of Object.entries(m as Record<string, unknown>)) {
    if (typeof expiry === "number" && Number.isSafeInteger(expiry)) members[key] = expiry;
  }
  return { generation: g, members };
}
