/**
 * The session record: the only thing a store (or, sealed, a stateless cookie)
 * ever holds. Version 1, JSON:
 *
 * ```json
 * { "v": 1, "createdAt": 1767225600000, "lastSeenAt": 1767225600000,
 *   "authTime": 1767225600000, "userId": "u_42",
 *   "data": { "cart": [1, 2] }, "flash": { "notice": "Saved" },
 *   "meta": { "userAgent": "Mozilla/5.0 ...", "ip": "203.0.113.7" },
 *   "sid": "<stateless only: 43-char random id>",
 *   "keptAt": 1767225600000, "persistent": true }
 * ```
 *
 * Instants are epoch milliseconds set by the server clock; nothing in the
 * record is ever recomputed from the cookie: the client cannot extend its
 * session (GHSA-pj27-2xvp-4qxg).
 */

/** Anything that survives a JSON round trip. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Free-form key/value bags that never inherit from `Object.prototype`. */
export type Bag = Record<string, unknown>;

/** Request metadata an adapter passed to `load`, kept for session listings. */
export interface SessionMeta {
  userAgent?: string;
  ip?: string;
}

/** Decoded record, version 1. */
export interface SessionRecord {
  v: 1;
  createdAt: number;
  lastSeenAt: number;
  authTime?: number;
  userId?: string;
  data: Bag;
  flash?: Bag;
  meta?: SessionMeta;
  /** When the current token was issued (only with `renewAfter`); renewal age runs from here, else from createdAt. */
  issuedAt?: number;
  /** Stateless mode only: a random id that names the session in events and binds CSRF tokens. */
  sid?: string;
  /**
   * Stateless mode only: when `revokeUser(userId, { except })` kept this
   * session. With `authTime`, the only instants a user's `notBefore` is
   * compared with; `lastSeenAt` is not, since any request re-seals it.
   */
  keptAt?: number;
  /**
   * This session's own choice of a persistent cookie (`login(id, {
   * persistent })`, `setPersistent`); absent, the `cookie.persistent` option
   * decides. Only the cookie's Max-Age follows it, never a deadline.
   */
  persistent?: boolean;
}

/** A bag with no prototype, so `__proto__`/`constructor` keys are plain data (no prototype pollution). */
export function emptyBag(): Bag {
  return Object.create(null) as Bag;
}

/** Copies own enumerable keys of a parsed JSON object into a prototype-free bag. */
export function toBag(value: unknown): Bag | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const bag = emptyBag();
  for (const key of Object.keys(value)) bag[key] = (value as Bag)[key];
  return bag;
}

function isInstant(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function optionalString(value: unknown, max: number): value is string | undefined {
  return value === undefined || (typeof value === "string" && value.length <= max);
}

/** Default cap on the nesting of session data: parsing and writing never exhaust the stack. */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * True when `value` nests objects/arrays more than `max` levels deep. Iterative
 * and stops at the first level beyond `max`, so a hostile or cyclic value costs
 * no stack and no more than the nodes it visits, however hostile the input.
 */
export function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * True when JSON `text` nests objects/arrays more than `max` levels deep.
 * A cheap bound first: the depth can be no larger than the number of `{`
 * and `[` characters (found by the native `indexOf`), which for ordinary
 * session records is a handful; only above `max` of them is the text
 * scanned, skipping brackets inside strings. One pass, no allocation, and it
 * replaces a walk over the parsed object, and bounds the work on hostile input.
 */
export function jsonTooDeep(text: string, max: number): boolean {
  let opens = 0;
  for (let i = text.indexOf("{"); i !== -1 && opens <= max; i = text.indexOf("{", i + 1)) opens++;
  for (let i = text.indexOf("["); i !== -1 && opens <= max; i = text.indexOf("[", i + 1)) opens++;
  if (opens <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Serializes a record; `undefined` members are dropped by JSON. */
export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify(record);
}

/**
 * Parses and validates a record. Anything unexpected yields `null` (the caller
 * reports `malformed`); it never throws, whatever the bytes.
 */
export function decodeRecord(text: string, maxDepth = DEFAULT_MAX_DEPTH): SessionRecord | null {
  // The record itself is one level of the text: data at maxDepth is text depth maxDepth + 1.
  const shallow = !jsonTooDeep(text, maxDepth + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Includes a RangeError from pathological nesting: bad bytes, never a crash.
    return null;
  }
  // Deeper text may still be a valid record (deep nesting in a member we ignore): walk it then.
  return validateRecord(parsed, maxDepth, shallow);
}

/** Validates an already-parsed record (stateless mode receives objects, not text). */
export function validateRecord(
  parsed: unknown,
  maxDepth = DEFAULT_MAX_DEPTH,
  depthChecked = false,
): SessionRecord | null {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const r = parsed as Record<string, unknown>;
  if (r.v !== 1 || !isInstant(r.createdAt) || !isInstant(r.lastSeenAt)) return null;
  if (r.authTime !== undefined && !isInstant(r.authTime)) return null;
  if (r.issuedAt !== undefined && !isInstant(r.issuedAt)) return null;
  if (r.keptAt !== undefined && !isInstant(r.keptAt)) return null;
  if (r.persistent !== undefined && typeof r.persistent !== "boolean") return null;
  if (!optionalString(r.userId, 1024) || !optionalString(r.sid, 128)) return null;
  const data = toBag(r.data);
  if (data === null) return null;
  if (!depthChecked && (tooDeep(r.data, maxDepth) || tooDeep(r.flash, maxDepth))) return null;
  const record: SessionRecord = { v: 1, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, data };
  if (r.authTime !== undefined) record.authTime = r.authTime;
  if (r.userId !== undefined) record.userId = r.userId;
  if (r.issuedAt !== undefined) record.issuedAt = r.issuedAt;
  if (r.sid !== undefined) record.sid = r.sid;
  if (r.keptAt !== undefined) record.keptAt = r.keptAt;
  if (r.persistent !== undefined) record.persistent = r.persistent;
  if (r.flash !== undefined) {
    const flash = toBag(r.flash);
    if (flash === null) return null;
    record.flash = flash;
  }
  if (r.meta !== undefined) {
    const meta = r.meta as Record<string, unknown> | null;
    if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return null;
    if (!optionalString(meta.userAgent, 512) || !optionalString(meta.ip, 64)) return null;
    record.meta = {};
    if (meta.userAgent !== undefined) record.meta.userAgent = meta.userAgent;
    if (meta.ip !== undefined) record.meta.ip = meta.ip;
  }
  return record;
}

const encoder = new TextEncoder();

/** UTF-8 length of `text`, computed only when the cheap bound cannot decide. */
export function utf8Length(text: string, limit: number): number {
  // A UTF-16 code unit never needs more than 3 UTF-8 bytes.
  if (text.length * 3 <= limit) return text.length;
  return encoder.encode(text).length;
}
