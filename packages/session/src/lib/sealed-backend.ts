import type { SessionStore } from "@tessera/store";
import { SessionError } from "../errors.js";
import { type AnySession, type Backend, ownSession } from "./backend.js";
import { NO_CHANGES } from "./changes.js";
import { nothingToStore, persistentCookie, takeReissue, wanted } from "./commit.js";
import type { Context } from "./context.js";
import { absoluteDeadline, checkExpiry, expiresAt, maxAgeSeconds } from "./expiry.js";
import { fresh, type LoadRequest, TOKEN } from "./load.js";
import { readSessionCookies } from "./read-cookie.js";
import { type SessionMeta, validateRecord } from "./record.js";
import { denySession, isRevoked, revokeUserBefore } from "./revocation.js";
import { SessionImpl } from "./session-impl.js";
import { clearSetCookies, sealedSetCookies } from "./set-cookie.js";
import { encodeChecked } from "./stored.js";
import { checkUserId } from "./user-id.js";

/** Sealed values are compact JWEs: five base64url segments. */
const SEALED = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/;

function noStore(operation: string): SessionError {
  return new SessionError(
    "ERR_SESSION_UNSUPPORTED",
    `${operation} needs a store: stateless sessions live only in cookies, so the server cannot list or revoke them (logout only clears the cookie; stolen copies stay valid until they expire)`,
  );
}

async function load<D extends object, F extends object>(
  ctx: Context,
  revocations: SessionStore | undefined,
  header: string,
  meta: SessionMeta | undefined,
): Promise<SessionImpl<D, F>> {
  const now = ctx.now();
  const read = readSessionCookies(header, ctx.cookie.name, true, ctx.cookieHeaderLimit);
  const req: LoadRequest = { ctx, now, incoming: read.present, meta };
  if (read.duplicate) return fresh(req, "duplicate_cookie");
  if (read.tooLarge) return fresh(req, "header_too_large");
  const sealed = read.value;
  if (sealed === undefined) {
    // Cookies of ours that do not reassemble are malformed; no cookie at all is simply no session.
    const any = Object.keys(req.incoming).length > 0;
    return fresh(req, any ? "malformed" : undefined);
  }
  // The writer keeps all chunks within maxCookieSize, so no longer value is ours.
  if (sealed.length > ctx.maxCookieSize || !SEALED.test(sealed)) return fresh(req, "malformed");
  const opened = await ctx.crypto.unseal(sealed, ctx.cookie.name, now, ctx.maxCookieSize);
  if (!opened.ok) return fresh(req, opened.reason);
  const record = validateRecord(opened.value, ctx.maxDepth);
  if (record === null || record.sid === undefined || !TOKEN.test(record.sid)) {
    return fresh(req, "malformed");
  }
  const key = ctx.crypto.hashToken(record.sid);
  const verdict = checkExpiry(record, now, ctx.timeouts);
  if (verdict !== null) return fresh(req, verdict, key);
  if (revocations !== undefined && (await isRevoked(ctx, revocations, record))) {
    return fresh(req, "revoked", key);
  }
  ctx.emit({
    type: "loaded",
    at: now,
    session: key,
    ...(record.userId === undefined ? {} : { userId: record.userId }),
  });
  return new SessionImpl<D, F>(ctx, {
    record,
    token: record.sid,
    key,
    reissue: opened.reissue,
    version: 1,
    incoming: req.incoming,
    ...(meta === undefined ? {} : { meta }),
  });
}

/**
 * With a revocation store: is the session about to be re-sealed revoked by
 * now? Load checked it, but a `revokeUser` or logout may have landed while
 * the request ran. A new anonymous session has nothing to revoke and costs
 * no read; a store outage rejects (fail closed).
 */
function revokedMeanwhile(
  ctx: Context,
  revocations: SessionStore | undefined,
  s: AnySession,
): boolean | Promise<boolean> {
  if (revocations === undefined || s.record.sid === undefined) return false;
  if (s.version === 0 && s.record.userId === undefined) return false;
  return isRevoked(ctx, revocations, s.record);
}

async function commit(
  ctx: Context,
  revocations: SessionStore | undefined,
  s: AnySession,
): Promise<string[]> {
  if (s.isDestroyed) return nothingToStore(ctx, s);
  const now = ctx.now();
  const isNew = s.version === 0;
  if (isNew && !wanted(ctx, s)) return nothingToStore(ctx, s);
  const due = now - s.record.lastSeenAt >= ctx.timeouts.touchAfterMs;
  if (!isNew && !s.isDirty() && !due && !takeReissue(s)) return [];
  const revoked = revokedMeanwhile(ctx, revocations, s);
  // No extra await on the common path (no revocation store, or a new anonymous session).
  if (revoked !== false && (await revoked)) {
    // Revoked after this request loaded it (revokeUser, or a logout elsewhere):
    // the request ran as the user, but its response must not carry a cookie
    // for the revoked session; it clears the one it came with instead.
    s.state = "gone";
    ctx.emit({ type: "destroyed", at: now, session: s.key!, reason: "revoked" });
    return clearSetCookies(ctx.cookie, s.incoming);
  }
  const key = s.ensureIdentity();
  s.record.lastSeenAt = Math.max(s.record.lastSeenAt, now);
  const deadline = expiresAt(s.record, s.record.lastSeenAt, ctx.timeouts);
  encodeChecked(ctx, s.record);
  // The seal expires at the absolute deadline; idle expiry is judged from the
  // record's lastSeenAt, and the record stays the authority for both, so a
  // cookie kept past its Max-Age still ends on time.
  const ttl = Math.max(1, Math.ceil((absoluteDeadline(s.record, ctx.timeouts) - now) / 1000));
  const sealed = await ctx.crypto.seal(s.record, ctx.cookie.name, ttl, now);
  const maxAge = persistentCookie(ctx, s) ? maxAgeSeconds(deadline, now) : undefined;
  const limits = { maxCookieSize: ctx.maxCookieSize, maxAge };
  const cookies = sealedSetCookies(ctx.cookie, sealed, s.incoming, limits);
  s.version = 1;
  s.changes = NO_CHANGES;
  s.metaChanged = false;
  if (isNew) ctx.emit({ type: "created", at: now, session: key });
  return cookies;
}

/**
 * Sealed mode: the record is sealed (JWE dir + A256GCM) into the cookie
 * itself. Logout only clears the cookie unless `revocations` (the
 * `revocationStore` option) is given: then a logout denies the session's id
 * and `revokeUser` sets a per-user `notBefore` (SECURITY decision 4).
 */
export function sealedBackend(revocations: SessionStore | undefined): Backend {
  return {
    mode: "stateless",
    revocable: revocations !== undefined,
    // A sealed cookie should not carry the client's IP around.
    keepsMeta: false,
    load: (ctx, header, meta) => load(ctx, revocations, header, meta),
    commit: (ctx, s) => commit(ctx, revocations, s),
    identify(s, token) {
      s.record.sid = token;
    },
    async retire(ctx, s) {
      // The replaced sealed cookie must stop working too, when the server can say so.
      if (revocations !== undefined && s.record.sid !== undefined) {
        await denySession(ctx, revocations, s.record);
      }
    },
    async destroy(ctx, s) {
      // A sealed cookie that was issued (loaded, or committed earlier) is denied by its sid.
      if (revocations !== undefined && s.version > 0 && s.record.sid) {
        await denySession(ctx, revocations, s.record);
      }
      if (s.key !== undefined) {
        ctx.emit({ type: "destroyed", at: ctx.now(), session: s.key, reason: "logout" });
      }
    },
    async beforeLogin() {
      // Sealed sessions cannot be counted per user: maxSessionsPerUser needs a store.
    },
    async listUserSessions() {
      throw noStore("listUserSessions");
    },
    async revokeUser(ctx, userId, keep) {
      if (revocations === undefined) throw noStore("revokeUser");
      checkUserId(userId);
      const except = keep === undefined ? undefined : ownSession(keep, ctx);
      if (except?.committed) {
        // Its cookie is already on its way without keptAt: the user's own
        // session would be revoked with the others. Refused before any write.
        throw new SessionError(
          "ERR_SESSION_COMMITTED",
          "revokeUser's except session was already committed; call revokeUser before committing the session it keeps",
        );
      }
      const at = ctx.now();
      await revokeUserBefore(ctx, revocations, userId, at);
      if (except !== undefined && !except.isDestroyed) {
        // Only this session is kept: its commit re-seals it with keptAt,
        // while copies of its cookie taken before now stay revoked.
        except.record.keptAt = at;
        except.reissue = true;
      }
      // Sealed cookies cannot be counted: every one sealed before now is revoked.
      return 0;
    },
    async revokeUserSession() {
      throw noStore("revokeUserSession");
    },
  };
}
