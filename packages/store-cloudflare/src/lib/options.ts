import {
  bindingOption,
  clockOption,
  integerOption,
  maxValueBytesOption,
  stringOption,
  timeoutOption,
} from "@tessera/store/driver";
import type { DurableObjectNamespaceLike } from "../cloudflare.js";
import { MAX_VALUE_BYTES_LIMIT } from "./protocol.js";

/**
 * Options of {@link DurableObjectStore}.
 *
 * @example
 * ```ts
 * const options: DurableObjectStoreOptions = { namespace: env.SESSIONS, shards: 16 };
 * ```
 */
export interface DurableObjectStoreOptions {
  /** The Durable Object namespace binding of {@link SessionStoreObject} (`env.SESSIONS`). */
  namespace: DurableObjectNamespaceLike;
  /**
   * Name of the objects' family: object `i` is `idFromName("<name>:<i>")`.
   * 1 to 64 printable ASCII characters. Part of where sessions live: every
   * Worker sharing the sessions must use the same name and shard count.
   * @default "tessera-sessions"
   */
  name?: string;
  /**
   * How many objects the sessions are spread over, by a hash of the key: 1 to
   * 32. One object serves about a thousand requests a second, so this sets the
   * store's throughput; "log out everywhere" asks every object once. Fixed for
   * the life of the data: changing it moves keys to other objects, which logs
   * everyone out once.
   * @default 16
   */
  shards?: number;
  /**
   * Largest value accepted, in UTF-8 bytes, from 1 to 1,000,000; larger values
   * reject with `ERR_STORE_VALUE_TOO_LARGE` before any request. Objects
   * declared with `new_classes` (key-value storage) hold at most 128 KiB per
   * entry: keep the default there.
   * @default 65536
   */
  maxValueBytes?: number;
  /**
   * Milliseconds one Durable Object request may take before the store call
   * rejects with `StoreUnavailableError`. The request itself is not cancelled:
   * a write that timed out may still be applied.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * The clock, in epoch milliseconds, sent with every request: the object
   * decides expiry on it, so the store agrees with the session manager. Its
   * alarm reclaims storage on its own clock.
   * @default Date.now
   */
  now?: () => number;
}

/** The options, checked, with their defaults. */
export interface ResolvedOptions {
  readonly namespace: DurableObjectNamespaceLike;
  readonly name: string;
  readonly shards: number;
  readonly maxValueBytes: number;
  readonly timeoutMs: number;
  readonly now: () => number;
}

const DEFAULT_NAME = "tessera-sessions";
const DEFAULT_SHARDS = 16;
// Every object is asked once by listByUser and deleteByUser; Workers allow 50
// subrequests per invocation on the Free plan.
const MAX_SHARDS = 32;
const DEFAULT_TIMEOUT_MS = 5000;
const NAME = /^[\x20-\x7e]{1,64}$/;

/** Checks every option; throws `ERR_STORE_INVALID_OPTION` naming the first bad one. */
export function resolveOptions(options: DurableObjectStoreOptions): ResolvedOptions {
  return {
    namespace: bindingOption<DurableObjectNamespaceLike>(
      options,
      "namespace",
      ["idFromName", "get"],
      "expected the Durable Object namespace binding of SessionStoreObject, e.g. env.SESSIONS",
    ),
    // A null name falls back to the default, as it always has.
    name: stringOption(
      "name",
      options.name ?? undefined,
      DEFAULT_NAME,
      NAME,
      "expected 1-64 printable ASCII characters",
    ),
    shards: integerOption("shards", options.shards, DEFAULT_SHARDS, 1, MAX_SHARDS),
    maxValueBytes: maxValueBytesOption(options.maxValueBytes, MAX_VALUE_BYTES_LIMIT),
    timeoutMs: timeoutOption("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS),
    now: clockOption(options.now),
  };
}
