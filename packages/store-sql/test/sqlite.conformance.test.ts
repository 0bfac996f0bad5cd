import { describeStore } from "@tessera/store/conformance/vitest";
import Database from "better-sqlite3";
import { afterAll, beforeAll } from "vitest";
import { type SqlExecutor, SqlStore } from "../src/index.js";
import { executors, type SqliteFile, sqliteFile } from "./helpers.js";

let file: SqliteFile;
let onFile: SqlExecutor;
let memory: Database.Database;
let inMemory: SqlExecutor;

beforeAll(async () => {
  file = sqliteFile();
  onFile = executors.sqlite(file.db);
  await new SqlStore(onFile).migrate();
  memory = new Database(":memory:");
  inMemory = executors.sqlite(memory);
  await new SqlStore(inMemory, { table: "sessions" }).migrate();
});

afterAll(() => {
  file?.cleanup();
  memory?.close();
});

describeStore("SqlStore on SQLite (file, WAL) via better-sqlite3", () => new SqlStore(onFile));
describeStore(
  "SqlStore on SQLite (:memory:) via better-sqlite3",
  () => new SqlStore(inMemory, { table: "sessions" }),
);
