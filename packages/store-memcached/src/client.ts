/**
 * An opaque compare-and-swap token, as returned by {@link MemcachedClient.gets}.
 * Only ever passed back to the same client.
 *
 * @example
 * ```ts
 * const hit = await client.gets(key);
 * if (hit) await client.cas(key, next, 60, hit.cas);
 * ```
 */
export type CasToken = unknown;

/**
 * Outcome of a conditional write or delete. `exists` means the item changed
 * since its CAS token was read (or, for `add`, that it already exists);
 * `not_found` that it is gone.
 *
 * @example
 * ```ts
 * const outcome: CasOutcome = await client.cas(key, bytes, 60, token);
 * ```
 */
export type CasOutcome = "stored" | "exists" | "not_found";

/**
 * The few Memcached operations the store needs, so that any client can back
 * it through a short binding (see `memjsClient`). Every method rejects when
 * the server cannot be reached or times out; the store wraps that rejection
 * in `StoreUnavailableError`. Keys are whole keys (prefix included); `exptime`
 * is already in Memcached's form (relative seconds up to 30 days, else an
 * absolute Unix time; never 0).
 *
 * @example
 * ```ts
 * const store = new MemcachedStore({ client: memjsClient(memjs.Client.create(servers, options)) });
 * ```
 */
export interface MemcachedClient {
  /** The item and its CAS token (`gets`), or `null` when missing. */
  gets(key: string): Promise<{ value: Uint8Array; cas: CasToken } | null>;
  /** Stores only if absent (`add`): `stored`, or `exists`. */
  add(key: string, value: Uint8Array, exptime: number): Promise<CasOutcome>;
  /** Stores only if the item still has token `cas` (`cas`). */
  cas(key: string, value: Uint8Array, exptime: number, cas: CasToken): Promise<CasOutcome>;
  /** Deletes, only if the item still has token `cas` when one is given. `stored` means deleted. */
  delete(key: string, cas?: CasToken): Promise<CasOutcome>;
}
