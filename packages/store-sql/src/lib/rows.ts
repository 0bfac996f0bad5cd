import { type StoreEntry, StoreError } from "@tessera/store";

// Drivers return BIGINT as a string (pg, postgres.js), a number (mysql2,
// better-sqlite3) or a bigint (safeIntegers mode); the store only ever writes
// safe integers, so anything else is a corrupt row.
function integer(value: unknown, column: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (
    !Number.isSafeInteger(n) ||
    (typeof value !== "number" && typeof value !== "string" && typeof value !== "bigint")
  ) {
    throw new StoreError(
      "ERR_STORE_BACKEND",
      `column ${column} holds a non-integer: ${String(value)}`,
    );
  }
  return n;
}

export function readEntry(
  row: Record<string, unknown>,
  decode: (text: string) => string,
): StoreEntry {
  const value = row["value"];
  if (typeof value !== "string") {
    throw new StoreError("ERR_STORE_BACKEND", "column value is not text");
  }
  const entry: StoreEntry = {
    value: decode(value),
    expiresAt: integer(row["expires_at"], "expires_at"),
    version: integer(row["version"], "version"),
  };
  const userId = row["user_id"];
  if (typeof userId === "string") entry.userId = decode(userId);
  return entry;
}
