/**
 * The requests the store client sends to its Durable Objects, and their
 * answers: one JSON `POST` per store call. The path carries a protocol
 * version, so an object of another version answers 404 instead of guessing.
 */

/** Origin of the requests; never resolved (a stub routes by object, not by host). */
export const ORIGIN = "https://tessera-session-store.invalid";

/** Path prefix of the current protocol. */
export const PATH = "/v1/";

/** The operations, one per store method. */
export type Op = "get" | "set" | "touch" | "delete" | "list" | "deleteByUser";

export const OPS: readonly Op[] = ["get", "set", "touch", "delete", "list", "deleteByUser"];

/**
 * The largest value an object accepts, in UTF-8 bytes. A SQLite-backed object
 * stores up to 2 MB per key; a value is kept as UTF-8 bytes beside its version,
 * expiry and owner.
 */
export const MAX_VALUE_BYTES_LIMIT = 1_000_000;

/** The body of every request: the fields an operation needs, and the caller's clock. */
export interface Call {
  key?: string;
  value?: string;
  expiresAt?: number;
  userId?: string;
  expectVersion?: number;
  exceptKey?: string;
  /** The client's clock (epoch ms): the object decides expiry on it, like the session manager. */
  now: number;
}

/** An error answer: a `StoreError` code and message. */
export interface ErrorAnswer {
  error: { code: string; message: string };
}
