import { adapterError } from "@tessera/session/adapter";
import { ExpressSessionError } from "../errors.js";

/**
 * The error handed to `next`: a store outage becomes an `ExpressSessionError`
 * `ERR_EXPRESS_STORE_UNAVAILABLE` with status 503 and Retry-After, a write
 * race lost after the manager's merge retries `ERR_EXPRESS_CONFLICT` with
 * status 409 (`adapterError` decides, as in every adapter); anything else
 * passes through unchanged. The stack is reduced to the message because
 * Express's default handler prints `err.stack` outside production, and a
 * client must never see a stack trace (OWASP Error Handling); the original
 * error, which may name a store host, stays only in `cause`.
 */
export function toNextError(error: unknown): unknown {
  return adapterError(error, (failure) => {
    const wrapped = new ExpressSessionError(`ERR_EXPRESS_${failure.code}`, failure.message, {
      cause: failure.cause,
      status: failure.status,
      headers: failure.headers,
    });
    wrapped.stack = `${wrapped.name}: ${wrapped.message}`;
    return wrapped;
  });
}
