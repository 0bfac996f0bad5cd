import type { IncomingMessage } from "node:http";
import type { LoadMeta, SessionData } from "@tessera/session";

/**
 * The part of an express-session store the migration uses (connect-redis,
 * MemoryStore and every other express-session store have both methods).
 *
 * @example
 * ```ts
 * const store: LegacySessionStore = new RedisStore({ client: redis });
 * ```
 */
export interface LegacySessionStore {
  get(
    sid: string,
    // `object`, not a record type: express-session's typed `Store` passes its
    // `SessionData` interface, which a record with an index signature refuses.
    callback: (error: unknown, session?: object | null) => void,
  ): unknown;
  destroy(sid: string, callback: (error?: unknown) => void): unknown;
}

/**
 * Moves users of express-session onto Tessera without logging them out: a
 * request that has no valid Tessera session but a valid express-session
 * cookie gets the old session's data in a new Tessera session, the old cookie
 * cleared and (by default) the old session destroyed.
 *
 * @example
 * ```ts
 * sessionMiddleware(sessions, {
 *   migrateFromExpressSession: {
 *     store: new RedisStore({ client: redis }),
 *     secrets: [process.env.OLD_SESSION_SECRET!],
 *     map: (old) => ({ cart: old.cart as number[] }),
 *     userId: (old) => (old.passport as { user?: string } | undefined)?.user,
 *   },
 * });
 * ```
 */
export interface MigrateFromExpressSessionOptions<Data extends SessionData = SessionData> {
  /** The express-session store that holds the old sessions. */
  store: LegacySessionStore;
  /** The old `secret` option of express-session (every value it listed). */
  secrets: ReadonlyArray<string | Uint8Array>;
  /** The old cookie's name. @default "connect.sid" */
  cookieName?: string;
  /** The old cookie's `Path`, needed to clear it. @default "/" */
  cookiePath?: string;
  /** The old cookie's `Domain`, needed to clear it. @default undefined (host-only) */
  cookieDomain?: string;
  /**
   * Turns the old session object into Tessera data.
   * @default every key except express-session's own `cookie`
   */
  map?: (old: Record<string, unknown>) => Partial<Data>;
  /**
   * The user the old session was logged in as, if any. The new session is
   * bound to it without counting as a fresh login: its `authTime` stays
   * unknown, so `requireFresh` (step-up) refuses it until the user really
   * authenticates, and its absolute deadline is no later than the old
   * session's own (see `createdAt`). When the old session's age is unknown,
   * or its user id is not a valid one, nothing is carried over.
   * @default none (the new session is anonymous)
   */
  userId?: (old: Record<string, unknown>) => string | undefined;
  /**
   * When the old session began (epoch ms or a `Date`), e.g. a login time
   * your app stored in it: the new session's absolute timeout runs from it.
   * Without it, the old cookie's expiry (`cookie.expires`, set when
   * express-session had a `maxAge`) caps the new session's deadline; with
   * neither, a logged-in old session is not migrated (its age is unknown, so
   * it could be older than any absolute timeout allows) and the user signs in
   * again.
   * @default none
   */
  createdAt?: (old: Record<string, unknown>) => number | Date | undefined;
  /**
   * Destroy the old session in the old store once the new one is committed.
   * @default true
   */
  destroyOld?: boolean;
}

/**
 * Options of {@link sessionMiddleware}.
 *
 * @example
 * ```ts
 * app.use(sessionMiddleware(sessions, { meta: (req) => ({ ip: req.headers["x-real-ip"] as string }) }));
 * ```
 */
export interface SessionMiddlewareOptions<Data extends SessionData = SessionData> {
  /** Opt-in migration from express-session; see {@link MigrateFromExpressSessionOptions}. */
  migrateFromExpressSession?: MigrateFromExpressSessionOptions<Data>;
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * @default user agent from the `User-Agent` header, IP from `req.ip` (Express, honours `trust proxy`) or the socket
   */
  meta?: (req: IncomingMessage) => LoadMeta | undefined;
}
