import {
  bindingOption,
  maxValueBytesOption,
  optionError,
  timeoutOption,
} from "@tessera/store/driver";
import type { KvLike } from "../kv.js";
import { MAX_PIECES, PIECE_BYTES } from "./record.js";

/**
 * Options of {@link DenoKvStore}.
 *
 * @example
 * ```ts
 * const options: DenoKvStoreOptions = { kv: await Deno.openKv(), prefix: ["myapp", "sessions"] };
 * ```
 */
export interface DenoKvStoreOptions {
  /** The database `Deno.openKv()` resolved to. The store never opens or closes it. */
  kv: KvLike;
  /**
   * Key parts before every key the store writes, so sessions never mix with
   * other data: 1 to 8 strings of 1 to 64 printable ASCII characters. Use one
   * per application and data format version, e.g. `["myapp", "sessions", "v1"]`.
   * @default ["tessera"]
   */
  prefix?: readonly string[];
  /**
   * Largest value accepted, in UTF-8 bytes, from 1 to 640,000; larger values
   * reject with `ERR_STORE_VALUE_TOO_LARGE` before any KV call. Values above
   * 64,000 bytes are kept in several KV entries written in one commit (KV
   * limits one entry to 64 KiB), and every read fetches as many entries as
   * this limit needs in one `getMany`.
   * @default 65536
   */
  maxValueBytes?: number;
  /**
   * Milliseconds one KV call may take before the store call rejects with
   * `StoreUnavailableError`. The KV call itself cannot be cancelled: a write
   * that timed out may still be applied.
   * @default 2000
   */
  timeoutMs?: number;
}

/** The options, checked, with their defaults. */
export interface ResolvedOptions {
  readonly kv: KvLike;
  readonly prefix: readonly string[];
  readonly maxValueBytes: number;
  readonly timeoutMs: number;
}

/** The largest `maxValueBytes`: one `getMany` reads at most 10 entries. */
const MAX_VALUE_BYTES_LIMIT = PIECE_BYTES * MAX_PIECES;
const DEFAULT_PREFIX: readonly string[] = Object.freeze(["tessera"]);
const DEFAULT_TIMEOUT_MS = 2000;
const PREFIX_PART = /^[\x20-\x7e]{1,64}$/;
const MAX_PREFIX_PARTS = 8;

function prefixOption(value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return DEFAULT_PREFIX;
  const expected = `expected an array of 1-${MAX_PREFIX_PARTS} strings of 1-64 printable ASCII characters`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PREFIX_PARTS) {
    throw optionError("prefix", Array.isArray(value) ? `[${value.length} parts]` : value, expected);
  }
  for (const part of value) {
    if (typeof part !== "string" || !PREFIX_PART.test(part)) {
      throw optionError("prefix", Array.isArray(part) ? "[array part]" : part, expected);
    }
  }
  return Object.freeze([...value]);
}

/** Checks every option; throws `ERR_STORE_INVALID_OPTION` naming the first bad one. */
export function resolveOptions(options: DenoKvStoreOptions): ResolvedOptions {
  return {
    kv: bindingOption<KvLike>(
      options,
      "kv",
      ["get", "getMany", "list", "atomic"],
      "expected a Deno.Kv from Deno.openKv()",
    ),
    prefix: prefixOption(options.prefix),
    maxValueBytes: maxValueBytesOption(options.maxValueBytes, MAX_VALUE_BYTES_LIMIT),
    timeoutMs: timeoutOption("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS),
  };
}
