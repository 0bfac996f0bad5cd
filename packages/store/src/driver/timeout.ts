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
