import { httpFailure } from "@tessera/session";
import { ExpressSessionError, type ExpressSessionErrorCode } from "../errors.js";

const ERRORS = {
  store_unavailable: ["ERR_EXPRESS_STORE_UNAVAILABLE", "session store unavailable"],
  conflict: ["ERR_EXPRESS_CONFLICT", "session changed by a concurrent request"],
} as const satisfies Record<string, readonly [ExpressSessionErrorCode, string]>;

/**
 * The error handed to `next`: a store outage becomes an `ExpressSessionError`
 * with status 503 and Retry-After, a write race lost after the manager's merge
 * retries one with status 409 (`httpFailure` decides, as in every adapter);
 * anything else passes through unchanged. The stack is reduced to the
 * message because Express's default handler prints `err.stack` outside
 * production, and a client must never see a stack trace (OWASP Error
 * Handling); the original error, which may name a store host, stays only in
 * `cause`.
 */
export function toNextError(error: unknown): unknown {
  const failure = httpFailure(error);
  // A step-up refusal is thrown by the app's own route, never by load or
  // commit, and its SessionError already carries status 401 and no-store.
  if (failure === undefined || failure.kind === "reauth_required") return error;
  const [code, message] = ERRORS[failure.kind];
  const wrapped = new ExpressSessionError(code, message, {
    cause: error,
    status: failure.status,
    headers: { ...failure.headers },
  });
  wrapped.stack = `${wrapped.name}: ${wrapped.message}`;
  return wrapped;
}
