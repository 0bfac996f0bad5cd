// Runs in a child process on Node 22 (node:sqlite) or Bun (bun:sqlite),
// spawned by test/builtin-sqlite.test.ts: the store contract's conformance
// suite and the bindings' failure cases against the runtime's own SQLite,
// with no test framework. Prints one line: MARK followed by the JSON report.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreError, StoreUnavailableError } from "@tessera/store";
import { type ConformanceResult, randomKey, runConformance } from "@tessera/store/conformance";
import { rejection } from "../../../../scripts/outcomes.js";
import {
  type BunSqliteDatabase,
  bunSqliteExecutor,
  type NodeSqliteDatabase,
  nodeSqliteExecutor,
  type SqlExecutor,
  SqlStore,
} from "../../src/index.js";
import { MARK, type Report } from "./report.js";

/** One connection: the executor over it and the raw SQL the checks need. */
interface Connection {
  executor: SqlExecutor;
  exec(sql: string): void;
  close(): void;
  /** Node only: DatabaseSync.open() after close(); Bun cannot reopen. */
  reopen?(): void;
}

type Open = (path: string, busyTimeoutMs: number) => Connection;

// Specifiers in variables: the types of node:sqlite and bun:sqlite are not
// installed (the workspace builds against Node 20), and neither module exists
// on the other runtime.
async function opener(): Promise<{ runtime: string; binding: string; open: Open }> {
  const bun = (globalThis as { Bun?: { version: string } }).Bun;
  if (bun !== undefined) {
    const specifier = "bun:sqlite";
    const { Database } = (await import(specifier)) as {
      Database: new (
        path: string,
      ) => BunSqliteDatabase & {
        exec(sql: string): void;
        close(): void;
      };
    };
    return {
      runtime: `bun ${bun.version}`,
      binding: "bun:sqlite",
      open: (path, busyTimeoutMs) => {
        const db = new Database(path);
        db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
        return {
          executor: bunSqliteExecutor(db),
          exec: (sql) => db.exec(sql),
          close: () => db.close(),
        };
      },
    };
  }
  const specifier = "node:sqlite";
  const { DatabaseSync } = (await import(specifier)) as {
    DatabaseSync: new (
      path: string,
      options: { timeout: number },
    ) => NodeSqliteDatabase & { exec(sql: string): void; close(): void; open(): void };
  };
  return {
    runtime: `node ${process.version}`,
    binding: "node:sqlite",
    open: (path, busyTimeoutMs) => {
      const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
      return {
        executor: nodeSqliteExecutor(db),
        exec: (sql) => db.exec(sql),
        close: () => db.close(),
        reopen: () => db.open(),
      };
    },
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? "" : ` (cause: ${describeError(error.cause)})`;
  return `${error.name}: ${error.message}${cause}`;
}

function expectUnavailable(error: unknown, what: string): void {
  if (!StoreUnavailableError.isInstance(error) || !(error.cause instanceof Error)) {
    throw new Error(
      `${what}: expected StoreUnavailableError with the driver's error as cause, got ${describeError(error)}`,
    );
  }
}

const HOUR = 3_600_000;

/** The bindings' failure cases: each throws when the binding misbehaves. */
function failureChecks(open: Open, dir: string): Array<[string, () => Promise<void>]> {
  let n = 0;
  const file = () => join(dir, `failure-${++n}.db`);
  return [
    // Regression: node:sqlite read TEXT only up to its first U+0000.
    [
      "values and user ids with U+0000 and a leading U+FEFF round-trip on UTF-8 and UTF-16 databases",
      async () => {
        for (const encoding of ["UTF-8", "UTF-16le", "UTF-16be"]) {
          const connection = open(":memory:", 0);
          try {
            // Before the first table: a database's encoding is fixed once it has content.
            connection.exec(`PRAGMA encoding = '${encoding}'`);
            const store = new SqlStore(connection.executor);
            await store.migrate();
            const key = randomKey();
            const value = "\ufeffa\u0000b🍪\u0000";
            const userId = "\ufeffu\u0000é";
            await store.set(key, { value, expiresAt: Date.now() + HOUR, userId });
            const got = await store.get(key);
            const listed = await store.listByUser(userId);
            if (
              got?.value !== value ||
              got.userId !== userId ||
              listed.length !== 1 ||
              listed[0]?.entry.value !== value ||
              listed[0]?.entry.userId !== userId
            ) {
              throw new Error(
                `${encoding}: expected ${JSON.stringify({ value, userId })}, got ${JSON.stringify({ got, listed })}`,
              );
            }
          } finally {
            connection.close();
          }
        }
      },
    ],
    [
      "a closed database rejects with StoreUnavailableError (statements prepared before and after)",
      async () => {
        const connection = open(":memory:", 0);
        const store = new SqlStore(connection.executor);
        await store.migrate();
        const key = randomKey();
        await store.get(key);
        connection.close();
        expectUnavailable(await rejection(store.get(key)), "get after close");
        expectUnavailable(
          await rejection(store.set(key, { value: "v", expiresAt: Date.now() + HOUR })),
          "set after close",
        );
      },
    ],
    [
      "a missing table rejects with ERR_STORE_BACKEND, not as an outage",
      async () => {
        const connection = open(":memory:", 0);
        try {
          const error = await rejection(new SqlStore(connection.executor).get(randomKey()));
          if (
            !StoreError.isInstance(error) ||
            error.code !== "ERR_STORE_BACKEND" ||
            !/no such table/.test(describeError(error.cause))
          ) {
            throw new Error(
              `expected ERR_STORE_BACKEND (no such table), got ${describeError(error)}`,
            );
          }
        } finally {
          connection.close();
        }
      },
    ],
    [
      "a write lock held past the busy timeout rejects with StoreUnavailableError",
      async () => {
        const path = file();
        const holder = open(path, 0);
        const waiter = open(path, 0);
        try {
          await new SqlStore(holder.executor).migrate();
          holder.exec("BEGIN IMMEDIATE");
          const error = await rejection(
            new SqlStore(waiter.executor).set(randomKey(), {
              value: "v",
              expiresAt: Date.now() + HOUR,
            }),
          );
          holder.exec("ROLLBACK");
          expectUnavailable(error, "set while another connection holds the lock");
        } finally {
          waiter.close();
          holder.close();
        }
      },
    ],
    // Regression: statements cached before db.close() stayed finalized after db.open().
    [
      "the same store works again once the database is reopened",
      async () => {
        const connection = open(file(), 0);
        const store = new SqlStore(connection.executor);
        await store.migrate();
        const key = randomKey();
        await store.set(key, { value: "kept", expiresAt: Date.now() + HOUR });
        await store.get(key); // prepares the statement the closed database finalizes
        connection.close();
        expectUnavailable(await rejection(store.get(key)), "get while closed");
        if (connection.reopen === undefined) return; // Bun cannot reopen a Database.
        connection.reopen();
        try {
          const entry = await store.get(key);
          if (entry?.value !== "kept") {
            throw new Error(`expected the entry back, got ${JSON.stringify(entry)}`);
          }
        } finally {
          connection.close();
        }
      },
    ],
  ];
}

async function main(): Promise<Report> {
  const { runtime, binding, open } = await opener();
  const dir = mkdtempSync(join(tmpdir(), "tessera-builtin-sqlite-"));
  const connections: Connection[] = [];
  try {
    const report: Report = { runtime, suites: [] };
    const targets: Array<[string, Connection]> = [
      [`${binding} (file, WAL)`, open(join(dir, "sessions.db"), 5000)],
      [`${binding} (:memory:)`, open(":memory:", 5000)],
    ];
    for (const [name, connection] of targets) {
      connections.push(connection);
      if (name.includes("WAL")) connection.exec("PRAGMA journal_mode = WAL");
      await new SqlStore(connection.executor).migrate();
      const results: ConformanceResult[] = await runConformance(
        () => new SqlStore(connection.executor),
      );
      report.suites.push({
        name: `conformance on ${name}`,
        results: results.map((r) =>
          r.ok
            ? { name: r.name, ok: true }
            : { name: r.name, ok: false, error: describeError(r.error) },
        ),
      });
    }
    const failures: Report["suites"][number] = { name: `${binding} failures`, results: [] };
    for (const [name, run] of failureChecks(open, dir)) {
      try {
        await run();
        failures.results.push({ name, ok: true });
      } catch (error) {
        failures.results.push({ name, ok: false, error: describeError(error) });
      }
    }
    report.suites.push(failures);
    return report;
  } finally {
    for (const connection of connections) connection.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(MARK + JSON.stringify(await main()));
