import type { SessionStore } from "@tessera/store";
import type { RejectReason, SessionEvent } from "../events.js";
import type { Timeouts } from "./expiry.js";
import type { PendingRevocations } from "./pending.js";
import type { SessionCookieWriter } from "./set-cookie.js";

/** A verified value, or why it was refused. */
export type Opened<T> =
  | { ok: true; value: T; reissue: boolean }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired_absolute" };

/**
 * The cryptographic operations the manager needs, bound once to the keyring
 * and cookie name at construction so the hot path makes no decisions.
 */
export interface Primitives {
  /** 256-bit CSPRNG token, base64url (SID-01, SID-02). */
  randomToken(): string;
  /** Store key for a token: SHA-256, never reversible to the token (ST-01). */
  hashToken(token: string): string;
  /**
   * The public id of a session (`session.id`, `UserSessionInfo.id`) from its
   * store key: a labelled SHA-256, so it reveals neither the token nor the key.
   */
  publicId(key: string): string;
  /** The cookie value carrying `token`, MAC'd with the cookie name as context. */
  signToken(token: string): string;
  /** The token inside a cookie value; `reissue` when a non-primary key verified it (KEY-05). */
  unsignToken(value: string): Opened<string>;
  /** AEAD-seals a JSON payload bound to `context` (stateless cookies, encryption at rest). */
  seal(payload: unknown, context: string, expiresInSeconds: number, now: number): Promise<string>;
  /**
   * Opens a sealed payload bound to `context` (tampered, wrong context or
   * expired: a reason); a value longer than `maxLength` is malformed unread.
   */
  unseal(sealed: string, context: string, now: number, maxLength: number): Promise<Opened<unknown>>;
  /** CSRF token for a session identity, with the CSRF purpose (KEY-03/KEY-04). */
  csrfToken(identity: string): string;
  /** Constant-time check of a CSRF token against a session identity; any key of the ring verifies. */
  verifyCsrf(identity: string, token: string): boolean;
}

/** The resolved cookie settings. */
export interface CookieSettings {
  name: string;
  sameSite: "lax" | "strict";
  persistent: boolean;
  path: string;
  domain: string | undefined;
  /** Always true unless `insecureDevelopmentOnly` (SECURITY decision 5). */
  secure: boolean;
}

/** Everything a session needs from its manager. */
export interface Context {
  store: SessionStore | undefined;
  crypto: Primitives;
  cookie: CookieSettings;
  /** The session cookie for a signed token, attributes serialized once at startup. */
  writeSessionCookie: SessionCookieWriter;
  timeouts: Timeouts;
  maxRetries: number;
  maxSize: number;
  /** Octets the session's cookies may take in the Cookie header; sealed cookies past it are refused. */
  maxCookieSize: number;
  /** Longest Cookie header searched for the session's own cookie; longer ones are refused. */
  cookieHeaderLimit: number;
  /** ST-06: deepest nesting of session data, checked before serializing and on load. */
  maxDepth: number;
  encryptAtRest: boolean;
  saveUninitialized: boolean;
  /** LC-08: sessions one user may hold; undefined = unlimited. */
  maxSessionsPerUser: number | undefined;
  sessionLimit: "evict_oldest" | "reject";
  /** T-D21: what a changed user-agent family or network does. */
  binding: "off" | "log" | "revoke";
  /** Revocations owed to the store after a failure (T-D13); their sessions never load. */
  pending: PendingRevocations;
  /** Decision 4 / SL-03: stateless revocation list (deny by sid, notBefore by user); undefined = off. */
  revocationStore: SessionStore | undefined;
  /** LC-05: token age (ms) after which commit renews it; undefined = off. */
  renewAfterMs: number | undefined;
  /** LC-05: how long a renewed token still learns its successor. */
  renewGraceMs: number;
  /** SID-07: the cookie, or only `Authorization: Bearer`. */
  tokenMode: "cookie" | "authorization";
  /** Counts a rejection toward brute-force detection (T-D22). */
  noteRejected(reason: RejectReason, ip: string | undefined, now: number): void;
  now(): number;
  emit(event: SessionEvent): void;
  /** An `onEvent` listener exists: per-request events are built only then. */
  listening: boolean;
}
