import { DATE_DELIMITER } from "./grammar.js";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Reads 1..max leading digits of `token` if they are followed by a non-digit or the end. */
function leadingDigits(
  token: string,
  from: number,
  min: number,
  max: number,
): [number, number] | null {
  let i = from;
  let n = 0;
  while (i < token.length && i - from < max && isDigit(token.charCodeAt(i))) {
    n = n * 10 + token.charCodeAt(i) - 0x30;
    i++;
  }
  if (i - from < min) return null;
  if (i < token.length && isDigit(token.charCodeAt(i))) return null;
  return [n, i];
}

/** hms-time = time-field ":" time-field ":" time-field [ non-digit *OCTET ] */
function parseTime(token: string): [number, number, number] | null {
  const h = leadingDigits(token, 0, 1, 2);
  if (h === null || token.charCodeAt(h[1]) !== 0x3a) return null;
  const m = leadingDigits(token, h[1] + 1, 1, 2);
  if (m === null || token.charCodeAt(m[1]) !== 0x3a) return null;
  const s = leadingDigits(token, m[1] + 1, 1, 2);
  if (s === null) return null;
  return [h[0], m[0], s[0]];
}

/** The value of `token`'s leading 1-2 (day) or 2-4 (year) digits, else -1. */
function number(token: string, min: number, max: number): number {
  return leadingDigits(token, 0, min, max)?.[0] ?? -1;
}

/** The month `token` starts with (0 for "jan"), else -1. */
function monthOf(token: string): number {
  return token.length >= 3 ? MONTHS.indexOf(token.slice(0, 3).toLowerCase()) : -1;
}

/** RFC 6265bis §5.1.1 step 2, after the time: day-of-month, month, year. */
const FIELDS: ReadonlyArray<(token: string) => number> = [
  (token) => number(token, 1, 2),
  monthOf,
  (token) => number(token, 2, 4),
];

/**
 * RFC 6265bis §5.1.1 cookie-date parsing: tokens split on delimiters, the first
 * token of each shape taken as time, day, month and year. Linear, regex-free.
 * Returns epoch milliseconds or NaN.
 */
export function parseCookieDate(input: string): number {
  let time: [number, number, number] | null = null;
  // Day of month, month, year: -1 until a token fills it.
  const found = [-1, -1, -1];
  const len = input.length;
  let i = 0;
  while (i < len) {
    while (i < len && isDelimiter(input.charCodeAt(i))) i++;
    const start = i;
    while (i < len && !isDelimiter(input.charCodeAt(i))) i++;
    if (start === i) continue;
    const token = input.slice(start, i);
    // Each token fills the first field, in the RFC's order, that is still
    // unset and that the token matches.
    if (time === null) {
      time = parseTime(token);
      if (time !== null) continue;
    }
    for (let f = 0; f < FIELDS.length; f++) {
      if (found[f] !== -1) continue;
      const value = FIELDS[f]!(token);
      if (value !== -1) {
        found[f] = value;
        break;
      }
    }
  }
  const day = found[0]!;
  const month = found[1]!;
  let year = found[2]!;
  if (time === null || day === -1 || month === -1 || year === -1) return Number.NaN;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [h, m, s] = time;
  if (day < 1 || day > 31 || year < 1601 || h > 23 || m > 59 || s > 59) return Number.NaN;
  const ms = Date.UTC(year, month, day, h, m, s);
  // A date that does not exist (Feb 30) rolls over in Date.UTC: refuse it.
  if (new Date(ms).getUTCDate() !== day) return Number.NaN;
  return ms;
}

function isDelimiter(c: number): boolean {
  return c < 128 && DATE_DELIMITER[c] === 1;
}

const WEEKDAYS = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // day 0 = 1970-01-01, a Thursday
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/**
 * RFC 9110 §5.6.7 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for
 * years 1000..9999. Same output as `Date#toUTCString` (a property test pins
 * it) in a third of the time: pure integer arithmetic (Hinnant's
 * civil-from-days), no Date object and no runtime call.
 */
export function formatImfFixdate(ms: number): string {
  // Math.trunc first, as Date's TimeClip does, then whole seconds and days.
  const t = Math.floor(Math.trunc(ms) / 1000);
  const days = Math.floor(t / 86_400);
  const secs = t - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10; // 0-based
  const year = yoe + era * 400 + (month <= 1 ? 1 : 0);
  const weekday = ((days % 7) + 7) % 7;
  return (
    WEEKDAYS[weekday]! +
    ", " +
    TWO_DIGITS[day]! +
    " " +
    MONTH_NAMES[month]! +
    " " +
    year +
    " " +
    TWO_DIGITS[Math.floor(secs / 3600)]! +
    ":" +
    TWO_DIGITS[Math.floor(secs / 60) % 60]! +
    ":" +
    TWO_DIGITS[secs % 60]! +
    " GMT"
  );
}
