import { clearCookie, parseCookieAll } from "@tessera/cookie";
import { type Session, type SessionData, SessionError, type SessionKey } from "@tessera/session";
import { unsignLegacy } from "@tessera/signing";
import { invalidOption } from "../errors.js";
import type { MigrateFromExpressSessionOptions } from "../options.js";

/** What a migrated request still owes once the new session is committed. */
export interface Migrated {
  /** Set-Cookie that drops the legacy cookie from the browser. */
  clear: string;
  /** Destroys the old session in the old store (or does nothing, by option). */
  finish(): Promise<void>;
}

export interface Migration<Data extends SessionData> {
  /**
   * Moves an express-session session named by the request's legacy cookie into
   * `session` (which must be new). Resolves to null when there is nothing to
   * migrate; rejects only when the legacy store fails.
   */
  run(
    cookieHeader: string | undefined,
    session: Session<Data, SessionData>,
  ): Promise<Migrated | null>;
}

function invalid(name: string, value: unknown, expected: string): never {
  invalidOption(
    `option migrateFromExpressSession.${name} is invalid: ${typeof value === "string" ? JSON.stringify(value) : typeof value} (expected ${expected})`,
  );
}

/** express-session's own cookie fields; never application data. */
const LEGACY_INTERNAL = new Set(["cookie"]);

function defaultMap(old: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(old)) {
    if (!LEGACY_INTERNAL.has(key)) out[key] = old[key];
  }
  return out;
}

// The whole header, past the parser's default 8 KiB / 200 pairs: a tossed
// twin could otherwise hide the user's own cookie behind padding. Node caps
// the header itself (16 KiB by default), so the scan stays bounded.
const WHOLE_HEADER = {
  maxBytes: Number.POSITIVE_INFINITY,
  maxPairs: Number.POSITIVE_INFINITY,
} as const;

const nothing = async (): Promise<void> => {};

/** Epoch ms from a number, a Date or an ISO string (JSON stores give strings), else undefined. */
function instantOf(value: unknown): number | undefined {
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "string") ms = Date.parse(value);
  else if (typeof value === "number") ms = value;
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

/**
 * What bounds the migrated session's absolute window: the old session's
 * creation time if the app knows it, and the old cookie's own expiry. Null
 * when neither is known: the old session could be older than any absolute
 * timeout allows, so the safe choice is not to carry its login over.
 */
function legacyWindow(
  old: Record<string, unknown>,
  createdAtOf: ((old: Record<string, unknown>) => unknown) | undefined,
): { createdAt?: number; expiresBy?: number } | null {
  const createdAt = instantOf(createdAtOf?.(old));
  const cookie = old.cookie;
  const expiresBy =
    typeof cookie === "object" && cookie !== null
      ? instantOf((cookie as { expires?: unknown }).expires)
      : undefined;
  if (createdAt === undefined && expiresBy === undefined) return null;
  return {
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(expiresBy === undefined ? {} : { expiresBy }),
  };
}

/** Validates the option once, at startup, and returns the per-request step. */
export function createMigration<Data extends SessionData>(
  options: MigrateFromExpressSessionOptions<Data>,
): Migration<Data> {
  if (typeof options !== "object" || options === null) {
    invalidOption("option migrateFromExpressSession is invalid: expected an object");
  }
  const { store, secrets } = options;
  if (
    typeof store !== "object" ||
    store === null ||
    typeof store.get !== "function" ||
    typeof store.destroy !== "function"
  ) {
    invalid("store", store, "an express-session store with get(sid, cb) and destroy(sid, cb)");
  }
  if (!Array.isArray(secrets) || secrets.length === 0) {
    invalid("secrets", secrets, "a non-empty array of the old express-session secrets");
  }
  const name = options.cookieName ?? "connect.sid";
  if (typeof name !== "string" || name.length === 0) invalid("cookieName", name, "a cookie name");
  const map = options.map ?? (defaultMap as (old: Record<string, unknown>) => Partial<Data>);
  if (typeof map !== "function") invalid("map", map, "a function");
  const userIdOf = options.userId;
  if (userIdOf !== undefined && typeof userIdOf !== "function") {
    invalid("userId", userIdOf, "a function");
  }
  const createdAtOf = options.createdAt;
  if (createdAtOf !== undefined && typeof createdAtOf !== "function") {
    invalid("createdAt", createdAtOf, "a function");
  }
  const destroyOld = options.destroyOld ?? true;
  // Same scope the old cookie was set with, or the browser keeps it (RFC 6265bis §5.7 step 11).
  const clear = clearCookie(name, {
    path: options.cookiePath ?? "/",
    ...(options.cookieDomain === undefined ? {} : { domain: options.cookieDomain }),
  });
  // Throws a SigningError at startup for unusable secrets, not per request.
  unsignLegacy("s:x.y", secrets);

  const get = (sid: string) =>
    new Promise<Record<string, unknown> | null>((resolve, reject) => {
      store.get(sid, (error, data) => {
        if (error) reject(error);
        else
          resolve(
            typeof data === "object" && data !== null ? (data as Record<string, unknown>) : null,
          );
      });
    });
  const destroy = (sid: string) =>
    new Promise<void>((resolve) => {
      // A failed destroy leaves an orphan the old store's TTL removes; the
      // legacy cookie is cleared either way, so nothing can name it again.
      store.destroy(sid, () => resolve());
    });

  return {
    async run(header, session) {
      if (header === undefined || !header.includes(name)) return null;
      const values = parseCookieAll(header, WHOLE_HEADER)[name];
      if (values === undefined) return null;
      // Two legacy cookies (one tossed in by a sibling subdomain): which is
      // the user's cannot be told, so neither is migrated, as for the session
      // cookie; ours is cleared and no old session is destroyed.
      if (values.length > 1) return { clear, finish: nothing };
      const sid = unsignLegacy(values[0]!, secrets);
      if (sid === null) return null;
      const old = await get(sid);
      if (old === null) return { clear, finish: nothing };
      const done: Migrated = { clear, finish: destroyOld ? () => destroy(sid) : nothing };
      const userId = userIdOf?.(old);
      if (typeof userId === "string" && userId.length > 0) {
        const window = legacyWindow(old, createdAtOf);
        if (window === null) return done;
        try {
          // Not an authentication: step-up stays refused until a real login,
          // and the absolute deadline is no later than the old session's.
          await session.login(userId, { authTime: null, ...window });
        } catch (error) {
          // An id or a deadline the manager refuses (already past): not migrated.
          if (SessionError.isInstance(error) && error.code === "ERR_SESSION_INVALID_ARGUMENT") {
            return done;
          }
          throw error;
        }
      }
      const data = map(old) as Record<string, unknown>;
      for (const key of Object.keys(data)) {
        const v = data[key];
        if (v !== undefined) session.set(key as SessionKey<Data>, v as Data[SessionKey<Data>]);
      }
      session.persist();
      return done;
    },
  };
}
