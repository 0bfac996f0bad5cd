import { describe, expect, it } from "vitest";
import { isUnavailableError } from "../src/is-unavailable-error.js";

function err(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

describe("isUnavailableError", () => {
  it.each([
    ["connection refused", err("connect ECONNREFUSED", { code: "ECONNREFUSED" })],
    ["connection reset", err("read ECONNRESET", { code: "ECONNRESET" })],
    ["timeout", err("connect ETIMEDOUT", { code: "ETIMEDOUT" })],
    ["happy eyeballs", new AggregateError([err("x", { code: "ECONNREFUSED" })], "connect")],
    ["PostgreSQL admin shutdown", err("terminating connection", { code: "57P01" })],
    ["PostgreSQL starting up", err("the database system is starting up", { code: "57P03" })],
    ["PostgreSQL connection failure", err("connection failure", { code: "08006" })],
    ["PostgreSQL too many connections", err("too many clients", { code: "53300" })],
    ["pg pool acquire timeout", err("timeout exceeded when trying to connect")],
    ["pg terminated", err("Connection terminated unexpectedly")],
    ["postgres.js closed", err("write CONNECTION_CLOSED", { code: "CONNECTION_CLOSED" })],
    ["postgres.js connect timeout", err("connect timeout", { code: "CONNECT_TIMEOUT" })],
    ["mysql2 connection lost", err("lost", { code: "PROTOCOL_CONNECTION_LOST" })],
    ["MariaDB shutdown", err("Server shutdown in progress", { errno: 1053 })],
    ["MariaDB killed", err("Connection was killed", { code: "ER_CONNECTION_KILLED" })],
    ["mysql2 closed state", err("Can't add new command when connection is in closed state")],
    ["SQLite busy", err("database is locked", { code: "SQLITE_BUSY" })],
    ["SQLite I/O", err("disk I/O error", { code: "SQLITE_IOERR_WRITE" })],
    ["better-sqlite3 closed", new TypeError("The database connection is not open")],
    ["wrapped cause", err("outer", { cause: err("inner", { code: "ECONNRESET" }) })],
  ])("%s is an outage", (_, error) => {
    expect(isUnavailableError(error)).toBe(true);
  });

  // Answered errors are bugs or data problems: they must not be retried as outages.
  it.each([
    ["PostgreSQL unique violation", err("duplicate key", { code: "23505" })],
    ["PostgreSQL syntax error", err("syntax error at or near", { code: "42601" })],
    ["PostgreSQL missing table", err('relation "x" does not exist', { code: "42P01" })],
    ["PostgreSQL NUL in text", err("invalid byte sequence", { code: "22021" })],
    ["MySQL duplicate entry", err("Duplicate entry", { code: "ER_DUP_ENTRY", errno: 1062 })],
    ["MySQL syntax", err("You have an error", { code: "ER_PARSE_ERROR", errno: 1064 })],
    ["MySQL missing table", err("doesn't exist", { code: "ER_NO_SUCH_TABLE", errno: 1146 })],
    [
      "SQLite constraint",
      err("UNIQUE constraint failed", { code: "SQLITE_CONSTRAINT_PRIMARYKEY" }),
    ],
    ["SQLite syntax", err('near "x": syntax error', { code: "SQLITE_ERROR" })],
    ["plain error", new Error("boom")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
  ])("%s is not an outage", (_, error) => {
    expect(isUnavailableError(error)).toBe(false);
  });

  it("does not loop on a cyclic cause chain", () => {
    const a = err("a");
    const b = err("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(isUnavailableError(a)).toBe(false);
  });
});
