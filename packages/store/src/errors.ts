import { TesseraError } from "@tessera/error-kit";

// The shape every Tessera error shares is written once, in the private
// @tessera/error-kit that this build bundles; this package exports it for
// every package above it.
export { TesseraError };

/**
 * Stable codes of {@link StoreError}. Match on these, never on messages.
 *
 * - `ERR_STORE_UNAVAILABLE`: the backend could not be reached or timed out
 *   ({@link StoreUnavailableError}; adapters map it to 503).
 * - `ERR_STORE_CLOSED`: a method was called after `close()` ({@link StoreClosedError}).
 * - `ERR_STORE_INVALID_KEY`: a key outside the base64url alphabet or longer than `MAX_KEY_LENGTH`.
 * - `ERR_STORE_INVALID_VALUE`: a value that is not a string.
 * - `ERR_STORE_VALUE_TOO_LARGE`: a value above the store's byte limit.
 * - `ERR_STORE_INVALID_EXPIRY`: an `expiresAt` that is not a safe integer (NaN, Infinity, fractions).
 * - `ERR_STORE_INVALID_VERSION`: an `expectVersion` that is not a non-negative safe integer.
 * - `ERR_STORE_INVALID_USER_ID`: a `userId` that is not a non-empty string of at most `MAX_USER_ID_LENGTH`, or not well-formed Unicode (a lone surrogate).
 * - `ERR_STORE_INVALID_OPTION`: a constructor option with a bad value.
 * - `ERR_STORE_BACKEND`: the backend answered but failed (a driver bug, a corrupt record).
 */
export type StoreErrorCode =
  | "ERR_STORE_UNAVAILABLE"
  | "ERR_STORE_CLOSED"
  | "ERR_STORE_INVALID_KEY"
  | "ERR_STORE_INVALID_VALUE"
  | "ERR_STORE_VALUE_TOO_LARGE"
  | "ERR_STORE_INVALID_EXPIRY"
  | "ERR_STORE_INVALID_VERSION"
  | "ERR_STORE_INVALID_USER_ID"
  | "ERR_STORE_INVALID_OPTION"
  | "ERR_STORE_BACKEND";

/** Options accepted by every store error constructor. */
export interface StoreErrorOptions {
  /** The underlying error (a driver's socket error, a timeout), kept for diagnosis. */
  cause?: unknown;
}

/**
 * Base class of every error thrown or rejected by a Tessera store.
 *
 * @example
 * ```ts
 * try {
 *   await store.get(key);
 * } catch (error) {
 *   if (StoreError.isInstance(error) && error.code === "ERR_STORE_UNAVAILABLE") return respond503();
 *   throw error;
 * }
 * ```
 */
export class StoreError extends TesseraError<StoreErrorCode> {
  static override readonly codePrefix: string = "ERR_STORE_";

  constructor(code: StoreErrorCode, message: string, options: StoreErrorOptions = {}) {
    super(code, message, options);
    this.name = "StoreError";
  }
}

/**
 * The backend is unreachable, refused the connection or timed out. Drivers
 * wrap such failures in this error with the original as `cause`; the session
 * manager surfaces it (adapters answer 503) instead of starting a fresh
 * session that would later overwrite real data.
 *
 * @example
 * ```ts
 * try {
 *   return await client.get(key);
 * } catch (cause) {
 *   throw new StoreUnavailableError("redis GET failed", { cause });
 * }
 * ```
 */
export class StoreUnavailableError extends StoreError {
  static override readonly codePrefix: string = "ERR_STORE_UNAVAILABLE";

  constructor(message = "session store unavailable", options: StoreErrorOptions = {}) {
    super("ERR_STORE_UNAVAILABLE", message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * A store method was called after `close()`.
 *
 * @example
 * ```ts
 * await store.close();
 * await store.get(key).catch((e) => StoreClosedError.isInstance(e)); // true
 * ```
 */
export class StoreClosedError extends StoreError {
  static override readonly codePrefix: string = "ERR_STORE_CLOSED";

  constructor(message = "session store is closed", options: StoreErrorOptions = {}) {
    super("ERR_STORE_CLOSED", message, options);
    this.name = "StoreClosedError";
  }
}
