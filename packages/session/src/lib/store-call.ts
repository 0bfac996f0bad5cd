import type { SessionStore } from "@tessera/store";
import type { StoreOperation } from "../events.js";
import type { Context } from "./context.js";

/** Emits `store_error` with the error's name/code only: messages may quote keys or URLs. */
export function reportStoreError(
  ctx: Context,
  operation: StoreOperation,
  error: unknown,
  session?: string,
): void {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  ctx.emit({
    type: "store_error",
    at: ctx.now(),
    operation,
    ...(session === undefined ? {} : { session }),
    error: typeof code === "string" ? code : typeof name === "string" ? name : "Error",
  });
}

/**
 * One store call: a failure is reported as a `store_error` event and
 * rethrown unchanged, so an outage reaches the caller and never reads as
 * "no session" (which would later overwrite real data). `key` is the
 * session's store key the event names; undefined for per-user calls.
 */
export function storeCall<T>(
  ctx: Context,
  operation: StoreOperation,
  key: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  const failed = (error: unknown): never => {
    reportStoreError(ctx, operation, error, key);
    throw error;
  };
  // Not an async function: one promise less per store call on the per-request path.
  try {
    return Promise.resolve(call()).then(undefined, failed);
  } catch (error) {
    // A store that throws instead of rejecting still rejects here, reported the same way.
    return Promise.reject(error).then(undefined, failed);
  }
}

/**
 * Deletes `key` on the server's behalf (logout, expiry, a renewal undone).
 * A failure is reported and the delete owed: retried until the store
 * answers, and the key refused to load meanwhile, so a revocation is never
 * forgotten. Resolves to the failure, for callers that must also reject.
 */
export async function deleteOrOwe(
  ctx: Context,
  store: SessionStore,
  key: string,
): Promise<{ error: unknown } | undefined> {
  try {
    await store.delete(key);
    return undefined;
  } catch (error) {
    reportStoreError(ctx, "delete", error, key);
    ctx.pending.add(key, () => store.delete(key));
    return { error };
  }
}
