import { badOption } from "../errors.js";

/** RFC 7519 §4.1.4: leeway "usually no more than a few minutes". */
export const MAX_CLOCK_TOLERANCE = 300;
export const DEFAULT_CLOCK_TOLERANCE = 30;

/** Clock tolerance in seconds: 0..300, default 30. */
export function clockTolerance(value: unknown): number {
  if (value === undefined) return DEFAULT_CLOCK_TOLERANCE;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > MAX_CLOCK_TOLERANCE
  ) {
    badOption("clockTolerance", value, `an integer number of seconds in 0..${MAX_CLOCK_TOLERANCE}`);
  }
  return value;
}

/** A positive integer number of seconds. */
export function seconds(name: string, value: unknown, max = 400 * 86400): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > max) {
    badOption(name, value, `an integer number of seconds in 1..${max}`);
  }
  return value;
}

/** Current time in epoch seconds, from `now` (epoch ms) when given. */
export function nowSeconds(now: unknown): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
    badOption("now", now, "epoch milliseconds");
  }
  return Math.floor(now / 1000);
}

/** A maximum input length in characters. */
export function maxLength(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 64 || value > 1 << 20) {
    badOption("maxLength", value, "an integer in 64..1048576");
  }
  return value;
}

// RFC 7515 §4.1.9 media type, kept to a conservative alphabet.
const TYP = /^[A-Za-z0-9.+_-]{1,64}$/;

/** A `typ` header value. */
export function typ(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !TYP.test(value))
    badOption("typ", value, 'a media type such as "session+jwt"');
  return value;
}
