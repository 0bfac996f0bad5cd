import { hashToken } from "@tessera/signing";
import type { StoreEntry } from "@tessera/store";
import type { RevokeReason } from "../events.js";
import type { Context } from "./context.js";

/**
 * A refresh-token family: one login's chain of refresh tokens. Revoking it
 * is one write, and every refresh reads it (RFC 9700 §4.14.2: reuse revokes the family).
 * Stored under {@link familyKey} with `userId` set, so the store's per-user
 * index finds a user's families.
 */
export interface FamilyRecord {
  t: "tessera.family";
  v: 1;
  /** Family id (the `sid` claim); not a secret, access tokens carry it. */
  id: string;
  /** Owner (`sub` of the access tokens). */
  uid: string;
  /** Store key (SHA-256) of the live refresh token; moves on every rotation. */
  cur: string;
  /** Epoch ms of `issue`. */
  created: number;
  /** Epoch ms after which nothing in the family is valid (familyTtl). */
  deadline: number;
  /** Epoch ms of the latest rotation. */
  last: number;
  /** `auth_time` (epoch seconds) carried into every access token of the family. */
  auth?: number;
  /** SHA-256 of the client binding given to `issue`. */
  bind?: string;
  /** Extra access-token claims given to `issue`. */
  claims?: Record<string, unknown>;
  /** Epoch ms of revocation. */
  rev?: number;
  why?: RevokeReason;
}

/** One refresh token, stored under `SHA-256(token)`, so a store dump holds no usable token. */
export interface RefreshRecord {
  t: "tessera.refresh";
  v: 1;
  /** Family id. */
  fam: string;
  /** Store key of the parent token; absent for the first token of a family. */
  parent?: string;
  /** Epoch ms of minting; the idle expiry counts from here. */
  created: number;
  /** Epoch ms of consumption (set by compare-and-set unused → used). */
  used?: number;
  /** Store key of the child minted when this token was used. */
  child?: string;
  /** The child, sealed for the grace window (see `sealChild`). */
  seal?: string;
}

/** Store key of a family: distinct prefix, hashed into the base64url key alphabet. */
export function familyKey(familyId: string): string {
  return hashToken(`tessera/tokens/family/v1:${familyId}`);
}

/**
 * Store key of a deny-list entry, by `(iss, jti)`, never by the token string
 * (a JWT can be re-encoded into another string).
 */
export function denyKey(issuer: string, jti: string): string {
  return hashToken(`tessera/tokens/deny/v1:${issuer}\n${jti}`);
}

const isInt = (value: unknown): boolean => Number.isSafeInteger(value);
const isStr = (value: unknown): boolean => typeof value === "string";
const isObject = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const optional =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || check(value);

/** What each field of a stored record must hold, by field name. */
type Fields = Readonly<Record<string, (value: unknown) => boolean>>;

const FAMILY_FIELDS: Fields = {
  id: isStr,
  uid: isStr,
  cur: isStr,
  created: isInt,
  deadline: isInt,
  last: isInt,
  auth: optional(isInt),
  bind: optional(isStr),
  rev: optional(isInt),
  claims: optional(isObject),
};

const REFRESH_FIELDS: Fields = {
  fam: isStr,
  created: isInt,
  parent: optional(isStr),
  used: optional(isInt),
  child: optional(isStr),
  seal: optional(isStr),
};

/**
 * The object in `entry` when it is a version-1 record of type `type` whose
 * fields pass `fields`, else null (another package's entry, a corrupt value).
 */
function parse<T>(entry: StoreEntry | null, type: string, fields: Fields): T | null {
  if (entry === null) return null;
  let out: unknown;
  try {
    out = JSON.parse(entry.value);
  } catch {
    return null;
  }
  if (!isObject(out)) return null;
  const record = out as Record<string, unknown>;
  const ok = record.t === type && record.v === 1;
  return ok && Object.entries(fields).every(([name, check]) => check(record[name]))
    ? (record as T)
    : null;
}

/** The family in `entry`, or null for anything else (another package's entry, a corrupt value). */
export function parseFamily(entry: StoreEntry | null): FamilyRecord | null {
  return parse(entry, "tessera.family", FAMILY_FIELDS);
}

/** The refresh token in `entry`, or null. */
export function parseRefresh(entry: StoreEntry | null): RefreshRecord | null {
  return parse(entry, "tessera.refresh", REFRESH_FIELDS);
}

/**
 * Store expiry of a record whose validity ends at `validUntil`: one access
 * token lifetime (plus clock tolerance) later, so that access tokens minted
 * last can still be checked against their family, and a late refresh is
 * reported as `expired` rather than unknown. The authority on validity is the
 * record's own timestamps; the store TTL is garbage collection.
 */
export function retainUntil(ctx: Context, validUntil: number): number {
  return validUntil + (ctx.accessTtl + ctx.clockTolerance) * 1000;
}

/** End of the idle window of a token minted or used at `at` (never past the deadline). */
export function idleEnd(ctx: Context, family: FamilyRecord, at: number): number {
  return Math.min(family.deadline, at + ctx.refreshTtl * 1000);
}
