import { StoreError, StoreUnavailableError } from "../errors.js";

/**
 * Runs `run()` and settles with its result, or rejects with `onTimeout()`
 * once `ms` milliseconds have passed, whichever comes first. One plain
 * `setTimeout` per call, cleared when the call settles; the timer never keeps
 * a process alive on its own (`unref` where the runtime has it). A
 * synchronous throw from `run` is a rejection, and a result or failure that
 * arrives after the timeout is consumed, never reported as unhandled.
 *
 * The call itself is not cancelled: a write that timed out may still be
 * applied, which the store's versioned writes make safe to retry.
 *
 * @param run - Starts the backend call.
 * @param ms - The bound, 1 to `MAX_TIMEOUT_MS`.
 * @param onTimeout - Builds the rejection, usually a `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * const entry = await withTimeout(
 *   () => kv.get(key),
 *   2000,
 *   () => new StoreUnavailableError("Deno KV get timed out after 2000 ms"),
 * );
 * ```
 */
export function withTimeout<T>(
  run: () => PromiseLike<T> | T,
  ms: number,
  onTimeout: () => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let pending: PromiseLike<T>;
    try {
      // Promise.resolve also guards a binding that returns a bare value.
      pending = Promise.resolve(run());
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => reject(onTimeout()), ms);
    (timer as { unref?: () => void }).unref?.();
    // Both handlers at once: a late rejection is handled, and settling an
    // already rejected promise is a no-op.
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * One backend call under the error policy every driver shares: bounded by
 * `ms` (0: unbounded), a `StoreError` it throws (the driver's own verdict, or
 * the timeout) passes through as it is, and any other failure becomes
 * `StoreUnavailableError` keeping it as `cause` (or what `failure` makes of
 * it, for a driver that tells an outage from a refusal).
 *
 * @param what - Names the call in messages: `"Memcached get"` gives
 *   "Memcached get timed out after 1000 ms" and "Memcached get failed".
 * @param ms - The bound, 0 or 1 to `MAX_TIMEOUT_MS`.
 * @param run - Starts the backend call.
 * @param failure - Turns a failure that is not a `StoreError` into one.
 *
 * @example
 * ```ts
 * const hit = await backendCall("Memcached get", 1000, () => client.gets(key));
 * ```
 */
export async function backendCall<T>(
  what: string,
  ms: number,
  run: () => PromiseLike<T> | T,
  failure: (error: unknown) => StoreError = (error) =>
    new StoreUnavailableError(`${what} failed`, { cause: error }),
): Promise<T> {
  try {
    return await (ms > 0
      ? withTimeout(run, ms, () => new StoreUnavailableError(`${what} timed out after ${ms} ms`))
      : run());
  } catch (error) {
    if (StoreError.isInstance(error)) throw error;
    throw failure(error);
  }
}
