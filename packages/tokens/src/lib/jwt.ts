import { type VerifyJwtFailure, type VerifyJwtOptions, verifyJwt } from "@tessera/signing";
import type { Context } from "./context.js";
import { denyKey, familyKey, parseFamily } from "./records.js";

/** Coarse reasons shared by access and step-up verification. */
export type JwtFailure = "malformed" | "invalid" | "expired" | "revoked";

export type Checked =
  | { ok: true; payload: Record<string, unknown>; needsReissue: boolean }
  | { ok: false; reason: JwtFailure; detail?: VerifyJwtFailure };

function coarse(reason: VerifyJwtFailure): JwtFailure {
  if (reason === "malformed" || reason === "too_large") return "malformed";
  if (reason === "expired") return "expired";
  return "invalid";
}

// Options objects built once per context and kind: verification is the hot
// path, and verifyJwt validates whatever it is given on every call.
const cache = new WeakMap<Context, Map<string, VerifyJwtOptions>>();

function optionsFor(
  ctx: Context,
  typ: string,
  context: string,
  required: readonly string[],
): VerifyJwtOptions {
  let byTyp = cache.get(ctx);
  if (byTyp === undefined) {
    byTyp = new Map();
    cache.set(ctx, byTyp);
  }
  let options = byTyp.get(typ);
  if (options === undefined) {
    options = {
      algorithms: [ctx.algorithm],
      typ,
      issuer: ctx.issuer,
      audience: ctx.audience,
      clockTolerance: ctx.clockTolerance,
      requiredClaims: ["sub", "sid", "jti", ...required],
      ...(ctx.symmetric ? { context } : {}),
    };
    byTyp.set(typ, options);
  }
  // With the default clock, jose reads the time itself.
  return ctx.now === Date.now ? options : { ...options, now: ctx.now() };
}

/** Verifies one of our JWTs under the pinned rules, then checks the claims every kind carries. */
export async function checkJwt(
  ctx: Context,
  token: unknown,
  typ: string,
  context: string,
  required: readonly string[],
): Promise<Checked> {
  if (typeof token !== "string") return { ok: false, reason: "malformed" };
  const result = await verifyJwt(token, ctx.keys, optionsFor(ctx, typ, context, required));
  if (!result.ok) return { ok: false, reason: coarse(result.reason), detail: result.reason };
  const payload = result.payload as Record<string, unknown>;
  if (
    typeof payload.sub !== "string" ||
    typeof payload.sid !== "string" ||
    typeof payload.jti !== "string" ||
    payload.jti.length === 0 ||
    payload.jti.length > 256 ||
    (payload.auth_time !== undefined && !Number.isSafeInteger(payload.auth_time))
  ) {
    return { ok: false, reason: "invalid", detail: "invalid_claim" };
  }
  return { ok: true, payload, needsReissue: result.needsReissue };
}

/**
 * The deny-list and family checks, as configured: zero, one or two
 * `store.get`s, run in parallel. True when the token must be refused.
 */
export async function isRevoked(
  ctx: Context,
  jti: string,
  sid: string,
  readDenyList = ctx.denyList,
  checkFamily = ctx.checkRevocation,
): Promise<boolean> {
  if (!readDenyList && !checkFamily) return false;
  const [denied, family] = await Promise.all([
    readDenyList ? ctx.store.get(denyKey(ctx.issuer, jti)) : null,
    checkFamily ? ctx.store.get(familyKey(sid)) : undefined,
  ]);
  if (denied !== null) return true;
  if (family === undefined) return false;
  const parsed = parseFamily(family);
  return parsed === null || parsed.rev !== undefined;
}
