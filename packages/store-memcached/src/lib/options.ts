import { bindingOption, integerOption, stringOption, timeoutOption } from "@tessera/store/driver";
import type { MemcachedClient } from "../client.js";

/**
 * Options of {@link MemcachedStore}.
 *
 * @example
 * ```ts
 * const store = new MemcachedStore({ client: memjsClient(client), prefix: "shop:sess:v1:", timeoutMs: 500 });
 * ```
 */
export interface MemcachedStoreOptions {
  /** A bound client, e.g. `memjsClient(memjs.Client.create(...))`. The store never closes it. */
  client: MemcachedClient;
  /**
   * Prepended to every key, one per application and data version: up to 100 printable ASCII
   * characters, no spaces (Memcached keys forbid whitespace and control
   * characters, protocol.txt "Keys").
   * @default "tessera:"
   */
  prefix?: string;
  /**
   * The servers' item size limit in bytes (memcached `-I`, default 1 MB).
   * A write whose item (key, header, owner and value) would exceed it rejects
   * with `ERR_STORE_VALUE_TOO_LARGE` before anything is sent.
   * @default 1048576
   */
  maxItemBytes?: number;
  /**
   * Milliseconds after which one Memcached call is abandoned with
   * `StoreUnavailableError`, whatever the client does. A backstop: set the
   * client's own timeouts (memjs `timeout`, `conntimeout`) below it.
   * @default 1000
   */
  timeoutMs?: number;
}

/** The options, checked, with their defaults. */
export interface ResolvedOptions {
  readonly client: MemcachedClient;
  readonly prefix: string;
  readonly maxItemBytes: number;
  readonly timeoutMs: number;
}

const DEFAULT_PREFIX = "tessera:";
const DEFAULT_MAX_ITEM_BYTES = 1_048_576;
const DEFAULT_TIMEOUT_MS = 1000;
/** Longest prefix accepted: leaves room for a 128-character key (`MAX_KEY_LENGTH`) and the index keys. */
const MAX_PREFIX_LENGTH = 100;
// protocol.txt "Keys": no control characters or whitespace. We also keep to
// printable ASCII so a prefix means the same bytes on every client.
const PREFIX = /^[\x21-\x7e]{0,100}$/;

/**
 * Checks every option; throws `ERR_STORE_INVALID_OPTION` naming the first bad
 * one. A `null` option takes its default, as it always has.
 */
export function resolveOptions(options: MemcachedStoreOptions): ResolvedOptions {
  return {
    client: bindingOption<MemcachedClient>(
      options,
      "client",
      ["gets", "cas"],
      "expected a MemcachedClient (e.g. memjsClient(client))",
    ),
    prefix: stringOption(
      "prefix",
      options.prefix ?? undefined,
      DEFAULT_PREFIX,
      PREFIX,
      `expected up to ${MAX_PREFIX_LENGTH} printable ASCII characters, no spaces`,
    ),
    maxItemBytes: integerOption(
      "maxItemBytes",
      options.maxItemBytes ?? undefined,
      DEFAULT_MAX_ITEM_BYTES,
      1024,
      Number.MAX_SAFE_INTEGER,
    ),
    timeoutMs: timeoutOption("timeoutMs", options.timeoutMs ?? undefined, DEFAULT_TIMEOUT_MS),
  };
}
