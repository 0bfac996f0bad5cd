/**
 * Why `load` returned a fresh session instead of the one the cookie named.
 * - `bad_signature`: the MAC or seal did not verify (tampered, or a removed key).
 * - `malformed`: wrong length/alphabet, undecodable record, or a record from the future.
 * - `unknown_id`: well-formed and correctly signed, but no such entry (never adopted as a new session's id).
 * - `expired_idle` / `expired_absolute`: server-side timeouts.
 * - `duplicate_cookie`: two values for the session cookie's name (which one is the user's cannot be told),
 *   or for one of its chunks, anywhere in the `Cookie` header.
 * - `header_too_large`: the `Cookie` header is longer than the session layer
 *   searches (`maxCookieSize` + 16 KiB), so a second copy of the session
 *   cookie could hide past that point; the first copy is never trusted alone.
 * - `revoked`: a stateless session denied by `revocationStore` (logout, or sealed before the user's `revokeUser`).
 * - `renewal_reuse`: a token replaced by renewal presented after its grace window.
 * - `binding_changed`: `binding: "revoke"` and the user-agent family or network changed.
 *
 * @example
 * ```ts
 * if (session.rejected === "bad_signature") metrics.increment("session.tampered");
 * ```
 */
export type RejectReason =
  | "bad_signature"
  | "malformed"
  | "unknown_id"
  | "expired_idle"
  | "expired_absolute"
  | "duplicate_cookie"
  | "header_too_large"
  | "binding_changed"
  | "renewal_reuse"
  | "revoked";

/**
 * Store operations that can fail and be reported in a `store_error` event.
 *
 * @example
 * ```ts
 * onEvent: (e) => { if (e.type === "store_error") alert(`store ${e.operation} failed: ${e.error}`); }
 * ```
 */
export type StoreOperation = "get" | "set" | "touch" | "delete" | "listByUser" | "deleteByUser";

/**
 * Audit events. `session` is the SHA-256 store key (or, stateless, the hash of
 * the internal id): enough to correlate, never a usable token, so logs leak no session.
 *
 * @example
 * ```ts
 * const sessions = createSessions({ keys, store, onEvent: (event: SessionEvent) => audit.write(event) });
 * ```
 */
export type SessionEvent =
  | { type: "created"; at: number; session: string }
  | { type: "loaded"; at: number; session: string; userId?: string }
  | { type: "rejected"; at: number; reason: RejectReason; session?: string }
  | { type: "regenerated"; at: number; session: string; previous: string }
  | { type: "login"; at: number; session: string; userId: string }
  | {
      type: "destroyed";
      at: number;
      session: string;
      reason: "logout" | "expired" | "revoked" | "evicted" | "concurrent_destroy";
    }
  | { type: "conflict"; at: number; session: string; attempt: number }
  | {
      type: "binding_changed";
      at: number;
      session: string;
      changed: Array<"userAgent" | "ip">;
    }
  | {
      /** A token replaced by renewal was presented after its grace window: possible theft. */
      type: "renewal_reuse";
      at: number;
      /** Store key of the old token. */
      session: string;
      /** Store key of the token that replaced it. */
      current: string;
    }
  | {
      /** `threshold` guessed ids (unknown, badly signed, malformed) from one IP within `window` seconds. */
      type: "bruteforce";
      at: number;
      ip: string;
      count: number;
      window: number;
    }
  | {
      type: "store_error";
      at: number;
      operation: StoreOperation;
      session?: string;
      error: string;
    };

/**
 * Receives every event; thrown errors are swallowed so logging can never break a request.
 *
 * @example
 * ```ts
 * const listener: SessionEventListener = (event) => console.log(event.type, event.at);
 * ```
 */
export type SessionEventListener = (event: SessionEvent) => void;

/**
 * What `onBruteforce` receives: the client IP (as the adapter passed it to
 * `load`), how many guessed ids it sent, and the window in seconds.
 *
 * @example
 * ```ts
 * const onBruteforce = ({ ip }: BruteforceInfo) => rateLimiter.block(ip, 600);
 * ```
 */
export interface BruteforceInfo {
  ip: string;
  count: number;
  window: number;
}
