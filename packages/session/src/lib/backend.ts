import type { UserSessionInfo } from "../create-sessions.js";
import { SessionError } from "../errors.js";
import type { SessionData } from "../session.js";
import type { Context } from "./context.js";
import type { SessionMeta } from "./record.js";
import { SessionImpl } from "./session-impl.js";

/** A session of any data shape, as the manager's internals handle it. */
export type AnySession = SessionImpl<SessionData, SessionData>;

/**
 * Where sessions live: in a store (stored mode, the cookie carries a signed
 * random id) or sealed into the cookie itself (sealed mode). `createSessions`
 * picks one at construction; everything that differs between the modes goes
 * through it, so no other code asks "is there a store?".
 */
export interface Backend {
  /** The manager's public `mode`. */
  readonly mode: "stateful" | "stateless";
  /** `destroy()` revokes on the server, not only in this browser: its `serverSideRevoked`. */
  readonly revocable: boolean;
  /** Records keep the client's user agent and IP, for `listUserSessions` and the binding check. */
  readonly keepsMeta: boolean;
  /**
   * The session named by a `Cookie` (or `Authorization`) header value; a
   * fresh one, rejected with a reason, for anything that does not verify.
   */
  load<D extends object, F extends object>(
    ctx: Context,
    header: string,
    meta: SessionMeta | undefined,
  ): Promise<SessionImpl<D, F>>;
  /** Writes what changed; resolves to the `Set-Cookie` values to send. */
  commit(ctx: Context, s: AnySession): Promise<string[]>;
  /** A new token was minted for `s`: a sealed record carries it as its id. */
  identify(s: SessionImpl<object, object>, token: string): void;
  /** The token `s` holds is being replaced (regenerate, login, elevate): make it stop working. */
  retire(ctx: Context, s: SessionImpl<object, object>): Promise<void>;
  /** `destroy()`/`logout()`: revoke what the server can and say so in an event. */
  destroy(ctx: Context, s: SessionImpl<object, object>): Promise<void>;
  /** Runs before `login` changes anything: the per-user session limit. */
  beforeLogin(ctx: Context, s: SessionImpl<object, object>, userId: string): Promise<void>;
  /** `sessions.listUserSessions`. */
  listUserSessions(ctx: Context, userId: string): Promise<UserSessionInfo[]>;
  /** `sessions.revokeUser`; `except` as the caller passed it (see {@link ownSession}). */
  revokeUser(ctx: Context, userId: string, except: unknown): Promise<number>;
  /** `sessions.revokeUserSession`. */
  revokeUserSession(ctx: Context, userId: string, id: string): Promise<boolean>;
}

/** `session` as this manager's own implementation; anything else is a programmer error. */
export function ownSession(session: unknown, ctx: Context): AnySession {
  if (!(session instanceof SessionImpl) || session.ctx !== ctx) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      "session was not loaded by this session manager",
    );
  }
  return session as AnySession;
}
