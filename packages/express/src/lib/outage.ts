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

/** Store outages become 503 errors; anything else passes through unchanged. */
export function toNextError(error: unknown): unknown {
  return isStoreOutage(error) ? outageError(error) : error;
}
