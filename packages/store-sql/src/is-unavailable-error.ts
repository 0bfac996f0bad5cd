// Error codes that mean "the database cannot be reached right now", as
// opposed to "the database answered with an error" (a constraint violation,
// a syntax error, a missing table), which is a bug to surface, not an outage.
const UNAVAILABLE_CODES = new Set([
  // Node sockets and DNS.
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ESOCKETTIMEDOUT",
  // postgres.js.
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // PostgreSQL SQLSTATEs (Appendix A): 53300 too_many_connections, 57P01
  // admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05
  // idle_session_timeout; class 08 (connection exception) is matched below.
  "53300",
  "57P01",
  "57P02",
  "57P03",
  "57P05",
  // mysql2 and MySQL/MariaDB server errors.
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_PACKETS_OUT_OF_ORDER",
  "POOL_CLOSED",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "ER_NET_READ_ERROR",
  "ER_NET_READ_INTERRUPTED",
  "ER_NET_WRITE_INTERRUPTED",
  "ER_NET_ERROR_ON_WRITE",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_QUERY_INTERRUPTED",
  "ER_CLIENT_INTERACTION_TIMEOUT",
  // SQLite (better-sqlite3): another connection holds the lock past
  // busy_timeout, or the file system failed.
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "SQLITE_FULL",
]);

// MySQL/MariaDB server error numbers for the same conditions, for clients
// that report `errno` without a symbolic code.
const UNAVAILABLE_ERRNOS = new Set([
  1040, 1053, 1077, 1078, 1079, 1080, 1158, 1159, 1160, 1161, 1205, 1927, 2002, 2003, 2006, 2013,
  4031,
]);

// Clients that report outages without a code: pg's pool acquire timeout and
// broken clients, mysql2's commands on a connection that already died, and
// better-sqlite3 after its database was closed.
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection (?:is )?(?:closed|lost|ended)/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /can't add new command when connection is in closed state/i,
  /pool is closed/i,
  /database connection is not open/i,
  /queue ?limit reached/i,
  /no connections available/i,
  /query read timeout/i,
];

function matches(error: unknown, depth: number): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const { code, errno, message, cause, errors } = error as {
    code?: unknown;
    errno?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string") {
    if (UNAVAILABLE_CODES.has(code)) return true;
    // SQLite extended codes (SQLITE_IOERR_READ, SQLITE_BUSY_SNAPSHOT, ...).
    if (/^SQLITE_(?:BUSY|LOCKED|IOERR|CANTOPEN)_/.test(code)) return true;
    // SQLSTATE class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof errno === "number" && UNAVAILABLE_ERRNOS.has(errno)) return true;
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) {
    return true;
  }
  // Node's happy-eyeballs connect reports an AggregateError of per-address failures.
  if (Array.isArray(errors) && errors.some((inner) => matches(inner, depth + 1))) return true;
  return matches(cause, depth + 1);
}

/**
 * True when a database client's error means the database cannot be reached:
 * refused, reset or timed-out connections, a server shutting down (PostgreSQL
 * 57P01/57P03 and class 08, MySQL `PROTOCOL_CONNECTION_LOST`, MariaDB 1927),
 * pool acquire timeouts, SQLite busy or I/O errors. Constraint, syntax and
 * other answered errors return false. The store uses it to choose between
 * `StoreUnavailableError` and a backend `StoreError`.
 *
 * @example
 * ```ts
 * isUnavailableError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" })); // true
 * isUnavailableError(Object.assign(new Error("dup"), { code: "23505" })); // false
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  return matches(error, 0);
}
