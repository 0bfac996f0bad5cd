/**
 * Why a family was revoked.
 * - `reuse`: an already used refresh token was presented (RFC 9700 §4.14.2).
 * - `binding_mismatch`: a refresh token came with another client binding.
 * - `logout`: `revokeRefreshToken` (the holder logged out).
 * - `user`: `revokeUser` (log out everywhere, password change, account disabled).
 * - `manual`: `revokeFamily`.
 *
 * @example
 * ```ts
 * const reason: RevokeReason = "reuse";
 * ```
 */
export type RevokeReason = "reuse" | "binding_mismatch" | "logout" | "user" | "manual";

/**
 * Audit events. `family` is the family id (the `sid` claim of the family's
 * access tokens), `token` the SHA-256 store key of a refresh token: enough to
 * correlate, never a usable token (OWASP Session Management: log a hash, never the id).
 *
 * @example
 * ```ts
 * const event: TokensEvent = { type: "refresh_reuse", at: Date.now(), family: "f", userId: "u1", token: "h" };
 * ```
 */
export type TokensEvent =
  | { type: "issued"; at: number; family: string; userId: string }
  | { type: "refreshed"; at: number; family: string; userId: string }
  /** A second presentation inside the grace window got the same child, never a second one. */
  | { type: "refresh_grace"; at: number; family: string; userId: string }
  /** An already used refresh token was presented; the family is revoked (RFC 9700 §4.14.2). */
  | { type: "refresh_reuse"; at: number; family: string; userId: string; token: string }
  | { type: "binding_mismatch"; at: number; family: string; userId: string }
  | { type: "family_revoked"; at: number; family: string; userId: string; reason: RevokeReason };

/**
 * Receives every event. Thrown errors are swallowed so that logging can never
 * break a request.
 *
 * @example
 * ```ts
 * const onEvent: TokensEventListener = (event) => console.log(event.type);
 * ```
 */
export type TokensEventListener = (event: TokensEvent) => void;
