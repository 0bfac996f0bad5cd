import type { RejectReason, SessionEvent } from "../events.js";
import type { Backend } from "./backend.js";
import type { PendingRevocations } from "./pending.js";
import type { Settings } from "./settings.js";

/** A verified value, or why it was refused. */
export type Opened<T> =
  | { ok: true; value: T; reissue: boolean }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired_absolute" };

/**
 * The cryptographic operations the manager needs, bound once to the keyring
 * and cookie name at construction so the hot path makes no decisions.
 */
export interface Primitives {
  /** 256-bit CSPRNG token, base64url: unguessable (OWASP Session Management, "Session ID Entropy"). */
  randomToken(): string;
  /** Store key for a token: SHA-256, so a store dump holds no usable token. */
  hashToken(token: string): string;
  /**
   * The public id of a session (`session.id`, `UserSessionInfo.id`) from its
   * store key: a labelled SHA-256, so it reveals neither the token nor the key.
   */
  publicId(key: string): string;
  /** The cookie value carrying `token`, MAC'd with the cookie name as context. */
  signToken(token: string): string;
  /** The token inside a cookie value; `reissue` when a non-primary key verified it (re-sign with the primary). */
  unsignToken(value: string): Opened<string>;
  /** AEAD-seals a JSON payload bound to `context` (stateless cookies, encryption at rest). */
  seal(payload: unknown, context: string, expiresInSeconds: number, now: number): Promise<string>;
  /**
   * Opens a sealed payload bound to `context` (tampered, wrong context or
   * expired: a reason); a value longer than `maxLength` is malformed unread.
   */
  unseal(sealed: string, context: string, now: number, maxLength: number): Promise<Opened<unknown>>;
  /** CSRF token for a session identity, MAC'd with its own purpose so it never verifies as a cookie. */
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

/** The resolved options a session reads; documented on {@link Settings}. */
type SessionSettings = Pick<
  Settings,
  | "cookie"
  | "writeSessionCookie"
  | "timeouts"
  | "maxRetries"
  | "maxSize"
  | "maxCookieSize"
  | "maxDepth"
  | "encryptAtRest"
  | "saveUninitialized"
  | "maxSessionsPerUser"
  | "sessionLimit"
  | "binding"
  | "renewAfterMs"
  | "renewGraceMs"
  | "tokenMode"
  | "now"
>;

/** Everything a session needs from its manager. */
export interface Context extends SessionSettings {
  /** Stored or sealed mode, chosen once by `createSessions`: every mode-specific step goes through it. */
  backend: Backend;
  crypto: Primitives;
  /** Longest Cookie header searched for the session's own cookie; longer ones are refused. */
  cookieHeaderLimit: number;
  /** Revocations owed to the store after a failure; their sessions never load while they are owed. */
  pending: PendingRevocations;
  /** Counts a rejection toward brute-force detection. */
  noteRejected(reason: RejectReason, ip: string | undefined, now: number): void;
  emit(event: SessionEvent): void;
  /** An `onEvent` listener exists: per-request events are built only then. */
  listening: boolean;
}
