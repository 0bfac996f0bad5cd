import { StoreError } from "@tessera/store";

/**
 * Bytes of the value kept in one KV entry. Deno KV refuses a value above
 * 65,536 bytes once serialised, and the head entry also carries the version,
 * expiry and owner (a 255-character userId is at most 510 bytes), so a value
 * is cut into pieces of this size: the first inside the head, the rest as raw
 * `Uint8Array` entries beside it.
 */
export const PIECE_BYTES = 64_000;

/** `kv.getMany` reads at most 10 keys, so one read covers at most 10 pieces. */
export const MAX_PIECES = 10;

/** Format marker of a head entry; a value without it was not written by this store. */
const FORMAT = 1;

/** The head entry of a session, as decoded. */
export interface Head {
  version: number;
  expiresAt: number;
  userId: string | undefined;
  /** How many pieces the value has (the head's own piece included). */
  pieces: number;
  /** The value's first piece, UTF-8. */
  data: Uint8Array;
}

const encoder = new TextEncoder();
// fatal: bytes this store did not write are refused, not patched with U+FFFD;
// ignoreBOM: a value that starts with U+FEFF keeps it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Thrown for a KV value this store did not write (a corrupt or foreign record). */
export function malformed(what: string): StoreError {
  return new StoreError("ERR_STORE_BACKEND", `malformed Deno KV session record: ${what}`);
}

/**
 * Cuts `value` into UTF-8 pieces of at most {@link PIECE_BYTES}. Each piece
 * is its own buffer: V8 serialises a view with its whole ArrayBuffer.
 */
export function splitValue(value: string): Uint8Array[] {
  const bytes = encoder.encode(value);
  if (bytes.length <= PIECE_BYTES) return [bytes];
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    pieces.push(bytes.slice(at, at + PIECE_BYTES));
  }
  return pieces;
}

/** Joins the pieces back into the value; refuses bytes that are not UTF-8. */
export function joinValue(pieces: readonly Uint8Array[]): string {
  let bytes: Uint8Array;
  if (pieces.length === 1) bytes = pieces[0] as Uint8Array;
  else {
    bytes = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
    let at = 0;
    for (const piece of pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
  }
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new StoreError(
      "ERR_STORE_BACKEND",
      "malformed Deno KV session record: value is not UTF-8",
      {
        cause,
      },
    );
  }
}

/** The object stored under a session's head key. */
export function encodeHead(head: Head): Record<string, unknown> {
  const record: Record<string, unknown> = {
    tessera: FORMAT,
    version: head.version,
    expiresAt: head.expiresAt,
    pieces: head.pieces,
    data: head.data,
  };
  if (head.userId !== undefined) record["userId"] = head.userId;
  return record;
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** Decodes a head entry; throws `ERR_STORE_BACKEND` on anything this store did not write. */
export function decodeHead(value: unknown): Head {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(`expected an object, got ${value === null ? "null" : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  if (record["tessera"] !== FORMAT) throw malformed("unknown format");
  const { version, expiresAt, pieces, data, userId } = record;
  if (!isInteger(version) || version < 1) throw malformed("bad version");
  if (!isInteger(expiresAt)) throw malformed("bad expiresAt");
  if (!isInteger(pieces) || pieces < 1 || pieces > MAX_PIECES) throw malformed("bad piece count");
  if (!(data instanceof Uint8Array) || data.length > PIECE_BYTES) throw malformed("bad data");
  if (userId !== undefined && (typeof userId !== "string" || userId === "")) {
    throw malformed("bad userId");
  }
  return { version, expiresAt, userId, pieces, data };
}

/** Checks one further piece of a value read beside its head. */
export function decodePiece(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length > PIECE_BYTES || value.length === 0) {
    throw malformed("bad value piece");
  }
  return value;
}
