import type { JwtAlgorithm, Keyring } from "@tessera/signing";
import type { SessionStore } from "@tessera/store";
import type { TokensEventListener } from "./events.js";

/**
 * Options of {@link createTokens}. Durations are seconds; clocks are epoch
 * milliseconds.
 *
 * @example
 * ```ts
 * const options: TokensOptions = {
 *   keys, store, issuer: "https://auth.example", audience: "api",
 *   accessTtl: 600, refreshTtl: 1_209_600, familyTtl: 2_592_000,
 * };
 * ```
 */
export interface TokensOptions {
  /** Keyring from `@tessera/signing`'s `createKeyring`: a secret for HS*, a key pair for EdDSA/ES256. */
  keys: Keyring;
  /** Where refresh tokens (as SHA-256 hashes), families and deny-list entries live. */
  store: SessionStore;
  /** `iss` of every token and the only issuer `verify` accepts (RFC 8725 §3.8). */
  issuer: string;
  /** `aud` of every token and the only audience `verify` accepts (RFC 8725 §3.9). */
  audience: string;
  /**
   * JWS algorithm of access and step-up tokens. One algorithm signs and the
   * same one alone verifies (RFC 8725 §3.1). Prefer `"EdDSA"`/`"ES256"` when
   * other services verify (they get the public keys from the JWKS handler).
   * @default "HS256" when the keyring holds a secret; required otherwise
   */
  algorithm?: JwtAlgorithm;
  /**
   * Access-token lifetime in seconds, 1..86400. Never extends past the
   * family's absolute deadline.
   * @default 600 (10 minutes)
   */
  accessTtl?: number;
  /**
   * Refresh idle expiry in seconds: a refresh token unused for this long is
   * refused (ASVS 5.0 10.4.8). At most `familyTtl`.
   * @default 1209600 (14 days)
   */
  refreshTtl?: number;
  /**
   * Absolute lifetime of a refresh-token family in seconds, counted from
   * `issue` and never extended by refreshing (ASVS 5.0 10.4.8).
   * @default 2592000 (30 days)
   */
  familyTtl?: number;
  /** Step-up token lifetime in seconds, 1..300 (at most 5 minutes). @default 300 */
  stepUpTtl?: number;
  /**
   * Benign-race grace window in seconds, 0..60. Within it, a used refresh
   * token presented again **with the same client binding** returns the same
   * child refresh token (and a fresh access token) instead of revoking the
   * family; it never mints a second child. Families issued
   * without a binding never get a grace window. `0` disables it.
   * @default 0
   */
  graceWindow?: number;
  /** Leeway for `exp`, `iat` and `nbf`, 0..300 seconds (RFC 7519 §4.1.4). @default 30 */
  clockTolerance?: number;
  /**
   * Deny list of access and step-up tokens by `(iss, jti)`, never by the token
   * string (a JWT can be re-encoded into another string),
   * filled by `revokeAccessToken`. When on, `verify` costs one extra
   * `store.get`.
   * @default false
   */
  denyList?: boolean;
  /**
   * Make `verify` refuse access tokens whose family (`sid`) was revoked or no
   * longer exists: one extra `store.get` per verification, in parallel with
   * the deny-list read. Without it a revoked family's access tokens stay
   * valid until they expire (at most `accessTtl`).
   * @default false
   */
  checkRevocation?: boolean;
  /** Revoke the family when a refresh token arrives with another client binding. @default true */
  revokeOnBindingMismatch?: boolean;
  /**
   * Clock in epoch milliseconds, for every instant the service computes:
   * token `iat`/`exp`, family and step-up deadlines, and verification. It
   * does not reach `store`, which expires entries by its own clock: give a
   * `MemoryStore` the same `now` in tests.
   * @default Date.now
   */
  now?: () => number;
  /** Audit events; see {@link TokensEvent}. */
  onEvent?: TokensEventListener;
}
