import { StoreError } from "../errors.js";
import { MIN_VALUE_BYTES } from "../limits.js";

/**
 * The largest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days);
 * a larger one fires at once on every runtime, so a timeout option stops here.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * The `ERR_STORE_INVALID_OPTION` error a driver's constructor throws: it names
 * the option, shows the value it got and says what it expected.
 *
 * @param name - The option's name as the user wrote it (`"prefix"`, `"durability.replicas"`).
 * @param value - The value received; strings are shown quoted.
 * @param expected - What would have been accepted, starting with "expected".
 *
 * @example
 * ```ts
 * throw optionError("prefix", prefix, "expected 1-64 printable ASCII characters");
 * // StoreError ERR_STORE_INVALID_OPTION: option prefix is invalid: "a b" (expected ...)
 * ```
 */
export function optionError(name: string, value: unknown, expected: string): StoreError {
  return new StoreError(
    "ERR_STORE_INVALID_OPTION",
    `option ${name} is invalid: ${shown(value)} (${expected})`,
  );
}

/**
 * An integer option: `fallback` when `value` is `undefined`, else `value`
 * when it is a safe integer from `min` to `max`; anything else (NaN,
 * Infinity, fractions, strings) throws {@link optionError}.
 *
 * @example
 * ```ts
 * const shards = integerOption("shards", options.shards, 16, 1, 1024);
 * ```
 */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw optionError(name, value, `expected an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * A string option: `fallback` when `value` is `undefined`, else `value` when
 * it is a string matching `pattern`; anything else throws {@link optionError}
 * with `expected`.
 *
 * @example
 * ```ts
 * const name = stringOption("name", options.name, "sessions", /^[\x20-\x7e]{1,64}$/, "expected 1-64 printable ASCII characters");
 * ```
 */
export function stringOption(
  name: string,
  value: unknown,
  fallback: string,
  pattern: RegExp,
  expected: string,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !pattern.test(value)) throw optionError(name, value, expected);
  return value;
}

/**
 * An object option that must carry the named methods (a client, a binding):
 * returns it typed, or throws {@link optionError} with `expected`. Use
 * `name: "options"` and no methods for the constructor's options object itself.
 *
 * @example
 * ```ts
 * const kv = objectOption<KvLike>("kv", options.kv, ["get", "getMany", "atomic"], "expected a Deno.Kv");
 * ```
 */
export function objectOption<T extends object>(
  name: string,
  value: unknown,
  methods: readonly string[],
  expected: string,
): T {
  if (typeof value !== "object" || value === null) throw optionError(name, value, expected);
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== "function") {
      throw optionError(name, value, expected);
    }
  }
  return value as T;
}

/**
 * The `now` option of a driver that compares expiry with a clock: the
 * function given, or `Date.now`. Anything else throws {@link optionError}.
 *
 * @example
 * ```ts
 * this.#now = clockOption(options.now);
 * ```
 */
export function clockOption(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== "function") {
    throw optionError("now", typeof value, "expected a function returning epoch milliseconds");
  }
  return value as () => number;
}

/**
 * The first check of a driver's constructor: `options` is an object, and its
 * member `name` (the client or binding the store talks through) has every
 * named method. Returns that member typed; throws {@link optionError} naming
 * `options` or `name`.
 *
 * @example
 * ```ts
 * const kv = bindingOption<KvLike>(options, "kv", ["get", "atomic"], "expected a Deno.Kv");
 * ```
 */
export function bindingOption<T extends object>(
  options: unknown,
  name: string,
  methods: readonly string[],
  expected: string,
): T {
  const checked = objectOption<Record<string, unknown>>(
    "options",
    options,
    [],
    `expected an object with a ${name}`,
  );
  return objectOption<T>(name, checked[name], methods, expected);
}

/**
 * A per-call timeout in milliseconds: `fallback` when `value` is `undefined`,
 * else an integer from 1 to {@link MAX_TIMEOUT_MS}; anything else throws
 * {@link optionError}.
 *
 * @example
 * ```ts
 * const timeoutMs = timeoutOption("timeoutMs", options.timeoutMs, 2000);
 * ```
 */
export function timeoutOption(name: string, value: unknown, fallback: number): number {
  return integerOption(name, value, fallback, 1, MAX_TIMEOUT_MS);
}

/**
 * The `maxValueBytes` option: {@link MIN_VALUE_BYTES} (the contract's 64 KiB)
 * when `value` is `undefined`, else an integer from 1 to `limit`, the most the
 * backend holds; anything else throws {@link optionError}.
 *
 * @example
 * ```ts
 * const maxValueBytes = maxValueBytesOption(options.maxValueBytes, 640_000);
 * ```
 */
export function maxValueBytesOption(value: unknown, limit: number): number {
  return integerOption("maxValueBytes", value, MIN_VALUE_BYTES, 1, limit);
}
