export type { CasOutcome, CasToken, MemcachedClient } from "./client.js";
export type { MemjsClientLike, MemjsClientOptions, MemjsResponse } from "./clients/memjs.js";
export { memjsClient } from "./clients/memjs.js";
export { MAX_RELATIVE_EXPTIME } from "./lib/exptime.js";
export type { MemcachedStoreOptions } from "./memcached-store.js";
export { MemcachedStore } from "./memcached-store.js";
