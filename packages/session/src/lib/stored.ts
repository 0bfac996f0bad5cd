import { SessionError } from "../errors.js";
import type { Context } from "./context.js";
import {
  decodeRecord,
  encodeRecord,
  type SessionRecord,
  tooDeep,
  utf8Length,
  validateRecord,
} from "./record.js";

/** Seal context of values encrypted at rest; distinct from any cookie name's context. */
const AT_REST = "tessera-store";

/** JSON of a record, refused above `maxSize` before any store call or sealing (ST-06, T-D25). */
export function encodeChecked(ctx: Context, record: SessionRecord): string {
  // Before JSON.stringify, which would recurse through the whole structure (ST-06, T-S11).
  if (tooDeep(record.data, ctx.maxDepth) || tooDeep(record.flash, ctx.maxDepth)) {
    throw new SessionError(
      "ERR_SESSION_TOO_DEEP",
      `session data nests deeper than maxDepth ${ctx.maxDepth} (or contains a cycle)`,
    );
  }
  const text = encodeRecord(record);
  const size = utf8Length(text, ctx.maxSize);
  if (size > ctx.maxSize) {
    throw new SessionError(
      "ERR_SESSION_TOO_LARGE",
      `serialized session is ${size} bytes, above maxSize ${ctx.maxSize}`,
    );
  }
  return text;
}

/**
 * The store value for a record. Encrypted at rest, the sealed plaintext
 * carries the store key it belongs to, so a blob pasted under another key
 * fails to open (ST-02, T-S03) without deriving a key per session.
 */
export async function toStored(
  ctx: Context,
  key: string,
  record: SessionRecord,
  deadline: number,
  now: number,
): Promise<string> {
  const text = encodeChecked(ctx, record);
  if (!ctx.encryptAtRest) return text;
  const ttl = Math.max(1, Math.ceil((deadline - now) / 1000));
  return ctx.crypto.seal({ k: key, r: record }, AT_REST, ttl, now);
}

/** The record in a store value, or null when it does not decode, open or belong to `key`. */
export async function fromStored(
  ctx: Context,
  key: string,
  value: string,
  now: number,
): Promise<SessionRecord | null> {
  // A stored value the manager could never have written is malformed, not parsed (ST-06).
  if (typeof value !== "string" || value.length > storedLimit(ctx)) return null;
  if (!ctx.encryptAtRest) {
    if (utf8Length(value, ctx.maxSize) > ctx.maxSize) return null;
    return decodeRecord(value, ctx.maxDepth);
  }
  const opened = await ctx.crypto.unseal(value, AT_REST, now);
  if (!opened.ok) return null;
  const payload = opened.value as { k?: unknown; r?: unknown } | null;
  if (typeof payload !== "object" || payload === null || payload.k !== key) return null;
  return validateRecord(payload.r, ctx.maxDepth);
}

/** Longest store value worth opening: maxSize of JSON, base64url-grown and JWE-wrapped when sealed. */
function storedLimit(ctx: Context): number {
  return ctx.encryptAtRest ? Math.ceil((ctx.maxSize * 4) / 3) + 2048 : ctx.maxSize;
}
