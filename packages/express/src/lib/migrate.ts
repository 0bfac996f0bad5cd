import { clearCookie, parseCookie } from "@tessera/cookie";
import type { Session, SessionData, SessionKey } from "@tessera/session";
import { unsignLegacy } from "@tessera/signing";
import { ExpressSessionError } from "../errors.js";
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
  throw new ExpressSessionError(
    "ERR_EXPRESS_INVALID_OPTION",
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

/** Validates the option once, at startup, and returns the per-request step. */
export function createMigration<Data extends SessionData>(
  options: MigrateFromExpressSessionOptions<Data>,
): Migration<Data> {
  if (typeof options !== "object" || options === null) {
    throw new ExpressSessionError(
      "ERR_EXPRESS_INVALID_OPTION",
      "option migrateFromExpressSession is invalid: expected an object",
    );
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
        else resolve(typeof data === "object" && data !== null ? data : null);
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
      const value = parseCookie(header)[name];
      if (value === undefined) return null;
      const sid = unsignLegacy(value, secrets);
      if (sid === null) return null;
      const old = await get(sid);
      if (old === null) return { clear, finish: async () => {} };
      const userId = userIdOf?.(old);
      if (typeof userId === "string" && userId.length > 0) await session.login(userId);
      const data = map(old) as Record<string, unknown>;
      for (const key of Object.keys(data)) {
        const v = data[key];
        if (v !== undefined) session.set(key as SessionKey<Data>, v as Data[SessionKey<Data>]);
      }
      session.persist();
      return { clear, finish: destroyOld ? () => destroy(sid) : async () => {} };
    },
  };
}
