import { hashToken, randomToken } from "@tessera/signing";
import { badArgument, checkUserId, TokensError } from "./errors.js";
import { bindingHash, type Context } from "./lib/context.js";
import { mintAccess, tokenPair } from "./lib/family.js";
import {
  type FamilyRecord,
  familyKey,
  idleEnd,
  type RefreshRecord,
  retainUntil,
} from "./lib/records.js";

/**
 * Options of `tokens.issue`.
 *
 * @example
 * ```ts
 * const options: IssueOptions = { binding: clientId, authTime: Date.now(), claims: { scope: "read" } };
 * ```
 */
export interface IssueOptions {
  /**
   * Client binding: any string that identifies the client the refresh token
   * is issued to (an OAuth `client_id`, a device key thumbprint, a cookie-bound
   * id). Stored only as a hash; `refresh` must present the same value
   * (RFC 6749 §10.4: a refresh token stays bound to the client it was issued
   * to). Required for the grace window to apply.
   * @default none (the family is not bound)
   */
  binding?: string;
  /**
   * When the user authenticated, epoch milliseconds; every access token of the
   * family carries it as `auth_time` (seconds) for `maxAuthAge` checks.
   * @default now
   */
  authTime?: number;
  /**
   * Extra claims for every access token of the family (e.g. `scope`). JSON
   * values, at most 2048 bytes as JSON; registered names (`iss`, `sub`, `aud`,
   * `exp`, `nbf`, `iat`, `jti`, `sid`, `auth_time`) are refused.
   */
  claims?: Record<string, unknown>;
}

/**
 * A freshly issued or rotated pair.
 *
 * @example
 * ```ts
 * const pair: TokenPair = await tokens.issue("u1");
 * response.json({ access_token: pair.accessToken, token_type: pair.tokenType, expires_in: pair.expiresIn });
 * ```
 */
export interface TokenPair {
  /** Signed JWT access token (`typ: at+jwt`). */
  accessToken: string;
  /** Opaque 256-bit refresh token, 43 base64url characters. */
  refreshToken: string;
  /** RFC 6750: the `Authorization` scheme to present the access token with. */
  tokenType: "Bearer";
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh token expires if unused (idle expiry, capped by the family deadline). */
  refreshExpiresIn: number;
  /** The family id, also the `sid` claim of its access tokens. */
  sessionId: string;
}

const RESERVED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "auth_time"]);

function checkClaims(claims: unknown): Record<string, unknown> | undefined {
  if (claims === undefined) return undefined;
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    badArgument("claims", claims, "a plain object");
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED.has(name)) badArgument("claims", name, "no registered claim names");
  }
  let json: string;
  try {
    json = JSON.stringify(claims);
  } catch (cause) {
    throw new TokensError("ERR_TOKENS_INVALID_ARGUMENT", "claims must be JSON values", { cause });
  }
  if (new TextEncoder().encode(json).length > 2048) {
    badArgument("claims", "(object)", "at most 2048 bytes as JSON");
  }
  // A JSON round trip drops prototypes, functions and undefined values.
  return JSON.parse(json) as Record<string, unknown>;
}

/** `tokens.issue`: a new family, its first refresh token and an access token. */
export async function issue(
  ctx: Context,
  userId: string,
  options: IssueOptions = {},
): Promise<TokenPair> {
  checkUserId(userId);
  if (typeof options !== "object" || options === null) badArgument("options", options, "an object");
  const now = ctx.now();
  const authTime = options.authTime ?? now;
  if (!Number.isSafeInteger(authTime) || authTime < 0 || authTime > now + 60_000) {
    badArgument("authTime", authTime, "epoch milliseconds, not in the future");
  }
  const bind = bindingHash(options.binding);
  const claims = checkClaims(options.claims);
  const familyId = randomToken(16);
  const refreshToken = randomToken(32);
  const refreshKey = hashToken(refreshToken);
  const family: FamilyRecord = {
    t: "tessera.family",
    v: 1,
    id: familyId,
    uid: userId,
    cur: refreshKey,
    created: now,
    deadline: now + ctx.familyTtl * 1000,
    last: now,
    auth: Math.floor(authTime / 1000),
  };
  if (bind !== undefined) family.bind = bind;
  if (claims !== undefined) family.claims = claims;
  const idle = idleEnd(ctx, family, now);
  const record: RefreshRecord = { t: "tessera.refresh", v: 1, fam: familyId, created: now };
  // Create-only writes: 128- and 256-bit random ids never collide, and if
  // they ever did the write would fail rather than overwrite.
  const wroteFamily = await ctx.store.set(
    familyKey(familyId),
    { value: JSON.stringify(family), expiresAt: retainUntil(ctx, idle), userId },
    { expectVersion: 0 },
  );
  const wroteToken = await ctx.store.set(
    refreshKey,
    { value: JSON.stringify(record), expiresAt: retainUntil(ctx, idle) },
    { expectVersion: 0 },
  );
  const access = await mintAccess(ctx, familyId, family, now);
  if (!wroteFamily.ok || !wroteToken.ok || access === null) {
    throw new TokensError(
      "ERR_TOKENS_UNSUPPORTED",
      "the store refused a create-only write of a new family",
    );
  }
  ctx.emit({ type: "issued", at: now, family: familyId, userId });
  return tokenPair(access, refreshToken, idle, familyId, now);
}
