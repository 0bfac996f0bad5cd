import { FastifySessionError } from "../errors.js";

/** A store outage, by its stable code (no import of @tessera/store needed). */
export function isStoreOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_STORE_UNAVAILABLE" || code === "ERR_STORE_CLOSED";
}

/**
 * Store outages become a 503 error for Fastify's error handler; the store's
 * error (which may name a host) stays in `cause`, out of the response (T-A13).
 * A lost write race (`ERR_SESSION_CONFLICT` after the manager's merge
 * retries) becomes 409: nothing was stored, the client may retry.
 */
export function toReplyError(error: unknown): unknown {
  if (isStoreOutage(error)) {
    return new FastifySessionError(
      "ERR_FASTIFY_SESSION_STORE_UNAVAILABLE",
      "session store unavailable",
      { cause: error, statusCode: 503 },
    );
  }
  if ((error as { code?: unknown } | null)?.code === "ERR_SESSION_CONFLICT") {
    return new FastifySessionError(
      "ERR_FASTIFY_SESSION_CONFLICT",
      "session changed by a concurrent request",
      { cause: error, statusCode: 409 },
    );
  }
  return error;
}
