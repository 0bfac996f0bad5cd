export type { DenoKvStoreOptions } from "./deno-kv-store.js";
export { DenoKvStore } from "./deno-kv-store.js";
export type {
  KvAtomicCheckLike,
  KvAtomicLike,
  KvCommitResultLike,
  KvEntryMaybeLike,
  KvKey,
  KvKeyPart,
  KvLike,
} from "./kv.js";
