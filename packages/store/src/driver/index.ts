// The driver toolkit, `@tessera/store/driver`: the small pieces every store
// driver needs besides the contract (option checks, a per-call timeout, entry
// helpers), written once. No `node:` imports: drivers run on Deno and Workers.

export { utf8ByteLength } from "../lib/utf8.js";
export { CheckedStore } from "./checked-store.js";
export { isStoreKey, RecentlySeen, storeEntry } from "./entries.js";
export {
  bindingOption,
  clockOption,
  integerOption,
  MAX_TIMEOUT_MS,
  maxValueBytesOption,
  objectOption,
  optionError,
  stringOption,
  timeoutOption,
} from "./options.js";
export { backendCall, withTimeout } from "./timeout.js";
