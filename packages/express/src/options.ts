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
    callback: (error: unknown, session?: Record<string, unknown> | null) => void,
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
   * The user the old session was logged in as, if any; the new session is
   * then bound with `session.login(userId)` (which also sets `authTime`).
   * @default none (the new session is anonymous)
   */
  userId?: (old: Record<string, unknown>) => string | undefined;
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
