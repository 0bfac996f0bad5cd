export type {
  DurableObjectIdLike,
  DurableObjectListOptionsLike,
  DurableObjectNamespaceLike,
  DurableObjectStateLike,
  DurableObjectStorageLike,
  DurableObjectStubLike,
} from "./cloudflare.js";
export type { DurableObjectStoreOptions } from "./durable-object-store.js";
export { DurableObjectStore } from "./durable-object-store.js";
export { SessionStoreObject } from "./session-store-object.js";
