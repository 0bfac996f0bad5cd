import type { VerifyJwtFailure } from "@tessera/signing";
import type { Context } from "./lib/context.js";
import { readBearerToken } from "./read-bearer-token.js";
import {
  type AccessFailure,
  type AccessTokenClaims,
  type VerifyOptions,
  verify,
} from "./verify.js";

/**
 * Why `verifyRequest` refused a request: `missing` (no Bearer credentials: no
 * `Authorization` header, or one with another scheme such as `Basic`) or an
 * {@link AccessFailure}.
 *
 * @example
 * ```ts
 * const reason: RequestFailure = "missing"; // 401 with a bare Bearer challenge
 * ```
 */
export type RequestFailure = "missing" | AccessFailure;

/**
 * Result of `tokens.verifyRequest`.
 *
 * @example
 * ```ts
 * const seen: VerifyRequestResult = await tokens.verifyRequest(request);
 * if (!seen.ok) return unauthorizedResponse(seen);
 * ```
 */
export type VerifyRequestResult =
  | { ok: true; claims: AccessTokenClaims; needsReissue: boolean }
  | { ok: false; reason: RequestFailure; detail?: VerifyJwtFailure };

/**
 * `tokens.verifyRequest`: the bearer token of a fetch-style `Request`'s
 * `Authorization` header, verified as by `verify`.
 */
export async function verifyRequest(
  ctx: Context,
  request: Request,
  options?: VerifyOptions,
): Promise<VerifyRequestResult> {
  let header: string | null = null;
  try {
    header = request.headers.get("authorization");
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const read = readBearerToken(header);
  if (!read.ok) return read;
  return verify(ctx, read.token, options);
}
