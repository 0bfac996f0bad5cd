import { httpFailure } from "./http-failure.js";

/**
 * A store outage or a lost write race, as {@link adapterError} hands it to
 * an adapter for its own error class.
 *
 * @example
 * ```ts
 * const error = new MyAdapterError(`ERR_MY_ADAPTER_${failure.code}`, failure.message, { cause: failure.cause });
 * ```
 */
export interface AdapterFailure {
  /** The end of the adapter's error code: `ERR_<ADAPTER>_STORE_UNAVAILABLE` or `ERR_<ADAPTER>_CONFLICT`. */
  code: "STORE_UNAVAILABLE" | "CONFLICT";
  /** A message with nothing from the error itself (no store host). */
  message: string;
  /** 503 or 409, as {@link httpFailure} says. */
  status: 503 | 409;
  /** The response headers (`Retry-After`, `Cache-Control: no-store`), a copy the error may own. */
  headers: Record<string, string>;
  /** The original error, for the adapter error's `cause` only: it may name a store host. */
  cause: unknown;
}

const FAILURES = {
  store_unavailable: ["STORE_UNAVAILABLE", "session store unavailable"],
  conflict: ["CONFLICT", "session changed by a concurrent request"],
} as const;

/**
 * The error an adapter hands its framework's error handler (Express's
 * `next`, Fastify's reply) for a store outage or a lost write race: `make`
 * builds the adapter's own error from the failure; anything else (a step-up
 * refusal, whose `SessionError` already carries 401 and no-store, and every
 * error {@link httpFailure} does not map) comes back unchanged.
 *
 * @example
 * ```ts
 * next(adapterError(error, (f) => new MyAdapterError(`ERR_MY_ADAPTER_${f.code}`, f.message, { cause: f.cause })));
 * ```
 */
export function adapterError(error: unknown, make: (failure: AdapterFailure) => Error): unknown {
  const failure = httpFailure(error);
  // A step-up refusal is thrown by the app's own route, never by load or
  // commit, and its SessionError already carries status 401 and no-store.
  if (failure === undefined || failure.kind === "reauth_required") return error;
  const [code, message] = FAILURES[failure.kind];
  return make({
    code,
    message,
    status: failure.status,
    headers: { ...failure.headers },
    cause: error,
  });
}
