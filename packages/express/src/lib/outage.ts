import { ExpressSessionError } from "../errors.js";

/** A store outage, by its stable code (no import of @tessera/store needed). */
export function isStoreOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_STORE_UNAVAILABLE" || code === "ERR_STORE_CLOSED";
}

/**
 * The error handed to `next` for a store outage: status 503 with Retry-After.
 * Its stack is reduced to the message because Express's default handler
 * prints `err.stack` outside production (T-A13: no stack trace in the body);
 * the store's error, which may name a host, stays only in `cause`.
 */
export function outageError(cause: unknown): ExpressSessionError {
  const error = new ExpressSessionError(
    "ERR_EXPRESS_STORE_UNAVAILABLE",
    "session store unavailable",
    { cause, status: 503, headers: { "retry-after": "5", "cache-control": "no-store" } },
  );
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * The error handed to `next` when the session could not be saved because
 * other requests kept changing it (`ERR_SESSION_CONFLICT` after the
 * manager's merge retries): status 409, never cached. Nothing was stored, so
 * the client may simply retry; the session's own error stays in `cause`.
 */
export function conflictError(cause: unknown): ExpressSessionError {
  const error = new ExpressSessionError(
    "ERR_EXPRESS_SESSION_CONFLICT",
    "session changed by a concurrent request",
    { cause, status: 409, headers: { "cache-control": "no-store" } },
  );
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** Store outages become 503 errors, lost write races 409; anything else passes through unchanged. */
export function toNextError(error: unknown): unknown {
  if (isStoreOutage(error)) return outageError(error);
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_SESSION_CONFLICT" ? conflictError(error) : error;
}
