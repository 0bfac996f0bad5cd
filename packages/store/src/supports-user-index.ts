import type { SessionStore, UserIndexedStore } from "./contract.js";

/**
 * Whether `store` declares the per-user index capability (both `listByUser`
 * and `deleteByUser`). A store declaring only one of them declares nothing.
 *
 * @example
 * ```ts
 * if (!supportsUserIndex(store)) throw new Error("revokeUser needs a store with a user index");
 * await store.deleteByUser(userId, { exceptKey });
 * ```
 */
export function supportsUserIndex(store: SessionStore): store is UserIndexedStore {
  return typeof store.listByUser === "function" && typeof store.deleteByUser === "function";
}
