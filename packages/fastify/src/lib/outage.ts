import { httpFailure } from "@tessera/session";
import { FastifySessionError, type FastifySessionErrorCode } from "../errors.js";

const ERRORS = {
  store_unavailable: ["ERR_FASTIFY_STORE_UNAVAILABLE", "session store unavailable"],
  conflict: ["ERR_FASTIFY_CONFLICT", "session changed by a concurrent request"],
} as const satisfies Record<string, readonly [FastifySessionErrorCode, string]>;

/**
 * The error for Fastify's error handler: a store outage becomes a
 * `FastifySessionError` with statusCode 503, a write race lost after the
 * manager's merge retries one with 409 (`httpFailure` decides, as in every
 * adapter); anything else passes through unchanged. The original error (which
 * may name a host) stays in `cause`, out of the response.
 */
export function toReplyError(error: unknown): unknown {
  const failure = httpFailure(error);
  // A step-up refusal is thrown by the app's own route, never by load or
  // commit, and its SessionError already carries status 401 and no-store.
  if (failure === undefined || failure.kind === "reauth_required") return error;
  const [code, message] = ERRORS[failure.kind];
  return new FastifySessionError(code, message, {
    cause: error,
    statusCode: failure.status,
    headers: { ...failure.headers },
  });
}
