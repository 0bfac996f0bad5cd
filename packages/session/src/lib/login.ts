import { SessionError } from "../errors.js";
import type { LoginOptions } from "../session.js";
import { quote } from "./quote.js";
import { type Bag, emptyBag, type SessionRecord } from "./record.js";

export function checkSeconds(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `${name} must be a non-negative number of seconds: ${String(value)}`,
    );
  }
  return value;
}

export function badPersistent(value: unknown): SessionError {
  return new SessionError(
    "ERR_SESSION_INVALID_ARGUMENT",
    `persistent must be true or false: ${quote(value, 40)}`,
  );
}

/** A "keep me signed in" choice of `login`: true, false, or left out (undefined). */
function persistentChoice(value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw badPersistent(value);
}

/** False for `authTime: null` (a user bound without authenticating now). */
function loginAuthenticates(authTime: unknown): boolean {
  if (authTime === undefined) return true;
  if (authTime === null) return false;
  throw new SessionError(
    "ERR_SESSION_INVALID_ARGUMENT",
    `authTime must be null (unknown) or left out (now): ${String(authTime).slice(0, 40)}`,
  );
}

function instant(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `${name} must be epoch milliseconds (a non-negative integer): ${String(value).slice(0, 40)}`,
    );
  }
  return value;
}

/**
 * Where the absolute window of a login starts: now, or earlier when the
 * session began earlier (`createdAt`) or must end by `expiresBy`; never
 * later than now, so these options can only shorten a session's life.
 */
function loginCreatedAt(
  options: { createdAt?: number; expiresBy?: number },
  now: number,
  absoluteMs: number,
): number {
  const createdAt = instant("createdAt", options.createdAt);
  const expiresBy = instant("expiresBy", options.expiresBy);
  if (createdAt !== undefined && createdAt > now) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `createdAt must not be in the future: ${createdAt} > now ${now}`,
    );
  }
  let start = Math.min(now, createdAt ?? now);
  if (expiresBy !== undefined) start = Math.min(start, expiresBy - absoluteMs);
  if (start + absoluteMs <= now) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `the session's absolute deadline (${start + absoluteMs}) has already passed (now ${now}): it cannot be logged in`,
    );
  }
  return start;
}

/** `login`'s options, checked before anything changes: a refused login leaves the session as it was. */
export interface LoginPlan {
  carryOver: readonly string[];
  /** False for `authTime: null`: bound to the user without authenticating now. */
  authenticated: boolean;
  persistent: boolean | undefined;
  /** Start of the absolute window (see `loginCreatedAt`). */
  createdAt: number;
}

/** Checks `login`'s options; throws `ERR_SESSION_INVALID_ARGUMENT` naming the bad one. */
export function planLogin<Data extends object>(
  options: LoginOptions<Data>,
  now: number,
  absoluteMs: number,
): LoginPlan {
  const carryOver = options.carryOver ?? [];
  if (!Array.isArray(carryOver)) {
    throw new SessionError("ERR_SESSION_INVALID_ARGUMENT", "carryOver must be an array of keys");
  }
  return {
    carryOver: carryOver as readonly string[],
    authenticated: loginAuthenticates(options.authTime),
    persistent: persistentChoice(options.persistent),
    createdAt: loginCreatedAt(options, now, absoluteMs),
  };
}

/**
 * Binds `record` to `userId` as of `now`. Another user starts clean: only
 * `carryOver` keys survive (a cart, say), never flash messages or the
 * previous user's "keep me signed in".
 */
export function bindUser(
  record: SessionRecord,
  userId: string,
  plan: LoginPlan,
  now: number,
): void {
  if (record.userId !== userId) {
    const data: Bag = emptyBag();
    for (const key of plan.carryOver) {
      if (key in record.data) data[key] = record.data[key];
    }
    record.data = data;
    delete record.flash;
    delete record.persistent;
  }
  if (plan.persistent !== undefined) record.persistent = plan.persistent;
  record.userId = userId;
  if (plan.authenticated) record.authTime = now;
  else delete record.authTime;
  // A real authentication supersedes an earlier revokeUser keep.
  delete record.keptAt;
  record.createdAt = Math.min(plan.createdAt, now);
  record.lastSeenAt = now;
}
