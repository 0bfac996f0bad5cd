import { adapterError } from "@tessera/session/adapter";
import { FastifySessionError } from "../errors.js";

/**
 * The error for Fastify's error handler: a store outage becomes a
 * `FastifySessionError` `ERR_FASTIFY_STORE_UNAVAILABLE` with statusCode 503,
 * a write race lost after the manager's merge retries
 * `ERR_FASTIFY_CONFLICT` with 409 (`adapterError` decides, as in every
 * adapter); anything else passes through unchanged. The original error
 * (which may name a host) stays in `cause`, out of the response.
 */
export function toReplyError(error: unknown): unknown {
  return adapterError(
    error,
    (failure) =>
      new FastifySessionError(`ERR_FASTIFY_${failure.code}`, failure.message, {
        cause: failure.cause,
        statusCode: failure.status,
        headers: failure.headers,
      }),
  );
}
