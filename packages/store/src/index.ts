export type {
  DeleteByUserOptions,
  SessionStore,
  SetOptions,
  SetResult,
  StoreEntry,
  StoreEntryInput,
  UserIndex,
  UserIndexedStore,
  UserSession,
} from "./contract.js";
export type { StoreErrorCode, StoreErrorOptions } from "./errors.js";
export { StoreClosedError, StoreError, StoreUnavailableError, TesseraError } from "./errors.js";
export { MAX_KEY_LENGTH, MAX_USER_ID_LENGTH, MIN_VALUE_BYTES } from "./limits.js";
export type { MemoryStoreOptions } from "./memory-store.js";
export { MemoryStore } from "./memory-store.js";
export { supportsUserIndex } from "./supports-user-index.js";
export {
  userIdProblem,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "./validate.js";
