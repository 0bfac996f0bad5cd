import { optionError } from "./driver/options.js";

/**
 * Options of {@link MemoryStore}.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ maxEntries: 10_000, sweepIntervalMs: 30_000 });
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Most entries kept; creating one more evicts the least recently used
   * (read, written or touched) entry, which logs that session out (an unbounded memory store leaks memory).
   * `Infinity` disables the bound.
   * @default 100000
   */
  maxEntries?: number;
  /**
   * Largest value accepted, in UTF-8 bytes; larger values reject with
   * `ERR_STORE_VALUE_TOO_LARGE`. The default matches Memcached's default item size.
   * @default 1048576
   */
  maxValueBytes?: number;
  /**
   * Milliseconds between background sweeps of expired entries; `0` disables
   * the timer (expired entries are then freed by the next store call).
   * The timer is unref'd where the runtime allows, so it never keeps a process alive.
   * @default 60000
   */
  sweepIntervalMs?: number;
  /**
   * Clock in epoch milliseconds by which entries expire, for tests. A
   * session manager or token service with its own `now` does not pass it
   * here: give both the same clock.
   * @default Date.now
   */
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 100_000;
const DEFAULT_MAX_VALUE_BYTES = 1_048_576;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
// setTimeout/setInterval delays are 32-bit signed in every runtime (HTML timers spec).
const MAX_TIMER_DELAY = 2_147_483_647;

/** The options of {@link MemoryStore}, checked, with their defaults. */
export interface ResolvedMemoryOptions {
  readonly maxEntries: number;
  readonly maxValueBytes: number;
  readonly sweepIntervalMs: number;
  readonly now: () => number;
}

/** Checks every option; throws `ERR_STORE_INVALID_OPTION` naming the first bad one. */
export function resolveMemoryOptions(options: MemoryStoreOptions): ResolvedMemoryOptions {
  const {
    maxEntries = DEFAULT_MAX_ENTRIES,
    maxValueBytes = DEFAULT_MAX_VALUE_BYTES,
    sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS,
    now = Date.now,
  } = options;
  if (
    typeof maxEntries !== "number" ||
    !(
      maxEntries === Number.POSITIVE_INFINITY ||
      (Number.isSafeInteger(maxEntries) && maxEntries > 0)
    )
  ) {
    throw optionError("maxEntries", maxEntries, "expected a positive integer or Infinity");
  }
  if (!Number.isSafeInteger(maxValueBytes) || maxValueBytes <= 0) {
    throw optionError("maxValueBytes", maxValueBytes, "expected a positive integer");
  }
  if (
    typeof sweepIntervalMs !== "number" ||
    !Number.isFinite(sweepIntervalMs) ||
    sweepIntervalMs < 0 ||
    sweepIntervalMs > MAX_TIMER_DELAY
  ) {
    throw optionError(
      "sweepIntervalMs",
      sweepIntervalMs,
      `expected milliseconds from 0 (off) to ${MAX_TIMER_DELAY}`,
    );
  }
  if (typeof now !== "function")
    throw optionError("now", now, "expected a function returning epoch milliseconds");
  return { maxEntries, maxValueBytes, sweepIntervalMs, now };
}
