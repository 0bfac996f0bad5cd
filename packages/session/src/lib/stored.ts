import type { StoreEntry } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { Context } from "./context.js";
import { SEALED_LENGTH_CEILING } from "./primitives.js";
import {
  decodeRecord,
  encodeRecord,
  jsonTooDeep,
  type SessionRecord,
  tooDeep,
  utf8Length,
  validateRecord,
} from "./record.js";

/** Seal context of values encrypted at rest; distinct from any cookie name's context. */
const AT_REST = "tessera-store";

function tooDeepError(maxDepth: number, cause?: unknown): SessionError {
  return new SessionError(
    "ERR_SESSION_TOO_DEEP",
    `session data nests deeper than maxDepth ${maxDepth} (or contains a cycle)`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * JSON of a record, refused when nested deeper than `maxDepth` or larger than
 * `maxSize` before any store call or sealing, so one session cannot fill
 * the store or exhaust the stack on load. Both
 * checks run on the text, the same one load checks, each with a cheap bound
 * first (bracket count; UTF-16 length × 3), so an ordinary record is
 * serialized once and never walked.
 */
export function encodeChecked(ctx: Context, record: SessionRecord): string {
  let text: string;
  try {
    text = encodeRecord(record);
  } catch (error) {
    // A cycle (TypeError) or nesting past the engine's stack (RangeError) is too
    // deep; anything else (a BigInt) is the app's own error, rethrown as is.
    if (tooDeep(record.data, ctx.maxDepth) || tooDeep(record.flash, ctx.maxDepth)) {
      throw tooDeepError(ctx.maxDepth, error);
    }
    throw error;
  }
  // The record is one level of the text (its members other than data and flash are flat).
  if (jsonTooDeep(text, ctx.maxDepth + 1)) throw tooDeepError(ctx.maxDepth);
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
 * True when a store's answer has the contract's shape: an object with a
 * string `value`, an integer `expiresAt` and a positive integer `version`.
 * Anything else comes from a broken or hostile custom store and is
 * `malformed`: its value is never parsed, and no deadline is derived from a
 * NaN or Infinity (which would switch the idle timeout off) or from a
 * version a versioned write could not use.
 */
export function isStoreEntry(entry: unknown): entry is StoreEntry {
  if (typeof entry !== "object" || entry === null) return false;
  const { value, expiresAt, version } = entry as Record<string, unknown>;
  return (
    typeof value === "string" &&
    Number.isSafeInteger(expiresAt) &&
    Number.isSafeInteger(version) &&
    (version as number) >= 1
  );
}

/**
 * The store value for a record. Encrypted at rest, the sealed plaintext
 * carries the store key it belongs to, so a blob pasted under another key
 * fails to open, without deriving a key per session. A plain
 * string when not encrypting: the hot path takes no extra promise.
 */
export function toStored(
  ctx: Context,
  key: string,
  record: SessionRecord,
  at: { deadline: number; now: number },
): string | Promise<string> {
  const { deadline, now } = at;
  const text = encodeChecked(ctx, record);
  if (!ctx.encryptAtRest) return text;
  const ttl = Math.max(1, Math.ceil((deadline - now) / 1000));
  return ctx.crypto.seal({ k: key, r: record }, AT_REST, ttl, now).then((sealed) => {
    // What load would refuse to open is never stored: the session would be lost silently.
    const limit = storedLimit(ctx);
    if (sealed.length > limit) {
      throw new SessionError(
        "ERR_SESSION_TOO_LARGE",
        `encrypted session is ${sealed.length} characters sealed, above the ${limit} that load opens (maxSize ${ctx.maxSize})`,
      );
    }
    return sealed;
  });
}

/**
 * The record in a store value, or null when it does not decode, open or
 * belong to `key`. Synchronous unless encrypted at rest.
 */
export function fromStored(
  ctx: Context,
  key: string,
  value: string,
  now: number,
): SessionRecord | null | Promise<SessionRecord | null> {
  // A stored value the manager could never have written is malformed, not parsed.
  if (typeof value !== "string" || value.length > storedLimit(ctx)) return null;
  if (!ctx.encryptAtRest) {
    if (utf8Length(value, ctx.maxSize) > ctx.maxSize) return null;
    return decodeRecord(value, ctx.maxDepth);
  }
  return ctx.crypto.unseal(value, AT_REST, now, storedLimit(ctx)).then((opened) => {
    if (!opened.ok) return null;
    const payload = opened.value as { k?: unknown; r?: unknown } | null;
    if (typeof payload !== "object" || payload === null || payload.k !== key) return null;
    return validateRecord(payload.r, ctx.maxDepth);
  });
}

/**
 * Longest store value, the one limit for both directions: toStored refuses
 * to write a longer one and fromStored refuses to open it. Plain, `maxSize`;
 * sealed, `maxSize` of JSON grown by base64url and wrapped in a JWE, but
 * never past what the signing package opens at all.
 */
function storedLimit(ctx: Context): number {
  if (!ctx.encryptAtRest) return ctx.maxSize;
  return Math.min(Math.ceil((ctx.maxSize * 4) / 3) + 2048, SEALED_LENGTH_CEILING);
}
