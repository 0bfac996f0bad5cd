import { type StoreEntry, StoreError } from "@tessera/store";
import { storeEntry } from "@tessera/store/driver";

/**
 * A session as an object stores it under `s:<key>`. The value is kept as
 * UTF-8 bytes: storage serialises strings outside Latin-1 as UTF-16, which
 * would double a 64 KiB value past the 128 KiB limit of key-value-backed objects.
 */
export interface SessionRecord {
  /** Format marker: a record without it was not written by this store. */
  t: 1;
  /** The value, UTF-8. */
  d: Uint8Array;
  /** expiresAt, epoch ms. */
  e: number;
  /** The contract's version. */
  n: number;
  /** The owner, if any. */
  u?: string;
}

const encoder = new TextEncoder();
// fatal: bytes this store did not write are refused, not patched with U+FFFD;
// ignoreBOM: a value that starts with U+FEFF keeps it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Builds the record of a write. */
export function toRecord(
  value: string,
  expiresAt: number,
  version: number,
  userId: string | undefined,
): SessionRecord {
  const record: SessionRecord = { t: 1, d: encoder.encode(value), e: expiresAt, n: version };
  if (userId !== undefined) record.u = userId;
  return record;
}

/** Checks a stored value is a record this store wrote; throws `ERR_STORE_BACKEND` otherwise. */
export function asRecord(stored: unknown, key: string): SessionRecord {
  const r = stored as Partial<SessionRecord> | null;
  if (
    typeof r !== "object" ||
    r === null ||
    r.t !== 1 ||
    !(r.d instanceof Uint8Array) ||
    !Number.isSafeInteger(r.e) ||
    !Number.isSafeInteger(r.n) ||
    (r.n as number) < 1 ||
    (r.u !== undefined && typeof r.u !== "string")
  ) {
    throw new StoreError(
      "ERR_STORE_BACKEND",
      `malformed session record under key ${key}: not written by this store`,
    );
  }
  return r as SessionRecord;
}

/** The contract entry of a record (a fresh copy). */
export function toEntry(record: SessionRecord, key: string): StoreEntry {
  let value: string;
  try {
    value = decoder.decode(record.d);
  } catch (cause) {
    throw new StoreError("ERR_STORE_BACKEND", `malformed session value under key ${key}`, {
      cause,
    });
  }
  return storeEntry(value, record.e, record.n, record.u);
}
