// The driver toolkit, `@tessera/store/driver`: the small pieces every store
// driver needs besides the contract (option checks, a per-call timeout, entry
// helpers), written once. No `node:` imports: drivers run on Deno and Workers.
export { isStoreKey, RecentlySeen, storeEntry } from "./entries.js";
export {
  clockOption,
  integerOption,
  MAX_TIMEOUT_MS,
  objectOption,
  optionError,
  stringOption,
} from "./options.js";
export { withTimeout } from "./timeout.js";
