/**
 * The parts of the Cloudflare Workers runtime the store uses, as structural
 * types, so that this package needs neither `@cloudflare/workers-types` nor
 * the `cloudflare:workers` module at run time, and a real binding fits as is.
 * Names follow Cloudflare's own (`DurableObjectNamespace`, `DurableObjectState`).
 */

/**
 * A Durable Object id (`DurableObjectId`): what `idFromName` returns and `get` takes.
 *
 * @example
 * ```ts
 * const id: DurableObjectIdLike = env.SESSIONS.idFromName("tessera-sessions:0");
 * ```
 */
export interface DurableObjectIdLike {
  /** The id as a hex string. */
  toString(): string;
}

/**
 * A Durable Object stub (`DurableObjectStub`): the store talks to its objects
 * with `fetch` only, so the object class needs no RPC support.
 *
 * @example
 * ```ts
 * const stub: DurableObjectStubLike = env.SESSIONS.get(env.SESSIONS.idFromName("x"));
 * ```
 */
export interface DurableObjectStubLike {
  /** Sends one request to the object; rejects when the object cannot be reached or threw. */
  fetch(request: Request): Promise<Response>;
}

/**
 * A Durable Object namespace binding (`DurableObjectNamespace`), as declared
 * under `durable_objects.bindings` in the Worker's wrangler configuration.
 *
 * @example
 * ```ts
 * const store = new DurableObjectStore({ namespace: env.SESSIONS satisfies DurableObjectNamespaceLike });
 * ```
 */
export interface DurableObjectNamespaceLike {
  /** The id of the object with this name (the same name always gives the same object). */
  idFromName(name: string): DurableObjectIdLike;
  /** A stub of the object with this id. */
  get(id: DurableObjectIdLike): DurableObjectStubLike;
}

/**
 * Options of {@link DurableObjectStorageLike.list}.
 *
 * @example
 * ```ts
 * const options: DurableObjectListOptionsLike = { prefix: "s:", limit: 100 };
 * ```
 */
export interface DurableObjectListOptionsLike {
  /** Only keys that start with this string. */
  prefix?: string;
  /** Only keys at or after this one. */
  start?: string;
  /** Only keys before this one. */
  end?: string;
  /** At most this many entries. */
  limit?: number;
}

/**
 * The key-value storage API of a Durable Object (`DurableObjectStorage`),
 * available on SQLite-backed and key-value-backed objects alike.
 *
 * @example
 * ```ts
 * const found = await state.storage.get(["s:n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"]);
 * ```
 */
export interface DurableObjectStorageLike {
  /** The values of up to 128 keys; missing keys are absent from the map. */
  get(keys: string[]): Promise<Map<string, unknown>>;
  /** Writes up to 128 entries, all or nothing. */
  put(entries: Record<string, unknown>): Promise<void>;
  /** Deletes up to 128 keys, all or nothing; resolves to how many existed. */
  delete(keys: string[]): Promise<number>;
  /** Entries in key order. */
  list(options?: DurableObjectListOptionsLike): Promise<Map<string, unknown>>;
  /** The scheduled alarm time in epoch milliseconds, or `null`. */
  getAlarm(): Promise<number | null>;
  /** Schedules the object's `alarm()` (replacing any scheduled one). */
  setAlarm(scheduledTime: number): Promise<void>;
}

/**
 * What the runtime passes to a Durable Object's constructor (`DurableObjectState`).
 *
 * @example
 * ```ts
 * const storage = (state satisfies DurableObjectStateLike).storage;
 * ```
 */
export interface DurableObjectStateLike {
  /** The object's own transactional storage. */
  readonly storage: DurableObjectStorageLike;
}
