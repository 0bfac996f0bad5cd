/**
 * Longest relative expiration Memcached accepts: 30 days in seconds. A larger
 * exptime is read as an absolute Unix time (protocol.txt, "Expiration times"),
 * so a naive relative 60-day TTL (5,184,000) is a date in 1970 and the item
 * dies at once (an entry must never be stored without its real expiry).
 *
 * @example
 * ```ts
 * const ttlSeconds = 60 * 86_400;
 * const isAbsolute = ttlSeconds > MAX_RELATIVE_EXPTIME; // true: the store sends a Unix time
 * ```
 */
export const MAX_RELATIVE_EXPTIME = 2_592_000;

// memcached keeps its clock in signed 32-bit seconds (rel_time_t / realtime()):
// an absolute exptime above this wraps negative and the item is born expired.
const MAX_ABSOLUTE_EXPTIME = 2_147_483_647;

/**
 * The exptime to send for an entry that must live until `expiresAt` (epoch
 * ms), given `now` (epoch ms, `now < expiresAt`). Rounded up, plus one second:
 * the server's clock ticks in whole seconds and lags real time by up to one,
 * so the item never dies before `expiresAt`. Reads filter on the exact
 * `expiresAt` kept inside the item, so the extra second is never visible.
 *
 * Never returns 0 (which means "no expiry"): the result is at least 2.
 * @internal
 */
export function toExptime(expiresAt: number, now: number): number {
  const relative = Math.ceil((expiresAt - now) / 1000) + 1;
  if (relative <= MAX_RELATIVE_EXPTIME) return Math.max(relative, 2);
  return Math.min(Math.ceil(expiresAt / 1000) + 1, MAX_ABSOLUTE_EXPTIME);
}
