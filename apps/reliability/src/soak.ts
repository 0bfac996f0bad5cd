/**
 * `pnpm reliability`: the full run behind the CI variant. Loads the Express
 * and Fetch apps on MemoryStore and Redis for 60 s each (REL_DURATION),
 * then runs the whole reliability suite in its long form (REL_FULL=1: every
 * store × app behind the fault proxy, 15 s of flapping, 1,000 fuzz runs), and
 * writes docs/reliability.md from the figures of that run.
 *
 * Bounded: every load run stops after its duration or its request cap;
 * everything listens on 127.0.0.1. Needs `pnpm services:up`; builds the
 * packages it uses first, so the figures describe the code being measured.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireService } from "../../../scripts/test-env.js";
import type { AppKind } from "./lib/app.js";
import { type LoadResult, runLoad } from "./lib/load.js";
import type { StoreKind } from "./lib/stores.js";

const here = fileURLToPath(new URL("..", import.meta.url));
const root = fileURLToPath(new URL("../../..", import.meta.url));
const duration = Number(process.env["REL_DURATION"] ?? 60);
const warmup = Math.min(15, Math.floor(duration / 4));
const fuzzRuns = process.env["REL_FUZZ_RUNS"] ?? "1000";

for (const name of ["REDIS_URL", "DATABASE_URL_PG", "MEMCACHED_SERVERS"])
  await requireService(name);
// The figures must describe the code being measured: build what the apps import (cached when unchanged).
const build = spawnSync(
  "pnpm",
  ["turbo", "run", "build", "--filter", "@tessera/reliability...", "--output-logs=errors-only"],
  { cwd: root, stdio: "inherit" },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const loads: LoadResult[] = [];
// Not APP_KINDS from app.ts: importing it would load the packages before they are built.
const APPS: readonly AppKind[] = ["express", "fetch"];
for (const app of APPS) {
  for (const store of ["memory", "redis"] as StoreKind[]) {
    console.log(`load: ${app} on ${store}, ${duration} s ...`);
    const r = await runLoad({ app, store, duration, warmup, connections: 50 });
    console.log(
      `  ${r.requests} requests, ${Math.round(r.reqPerSec)}/s, errors ${r.errors + r.timeouts + r.non2xx}, lost ${r.lost}, RSS slope ${r.rssSlope.toFixed(2)} MB/min, heap slope ${r.heapSlope.toFixed(2)} MB/min`,
    );
    loads.push(r);
  }
}

console.log("faults, concurrency and hostile input (REL_FULL=1) ...");
const dir = mkdtempSync(join(tmpdir(), "tessera-reliability-"));
const reportFile = join(dir, "figures.jsonl");
const vitestJson = join(dir, "vitest.json");
const run = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--exclude",
    "src/load.test.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestJson}`,
  ],
  {
    cwd: here,
    stdio: "inherit",
    env: { ...process.env, REL_FULL: "1", REL_REPORT: reportFile, REL_FUZZ_RUNS: fuzzRuns },
  },
);
const tests = existsSync(vitestJson)
  ? (JSON.parse(readFileSync(vitestJson, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
    })
  : { numPassedTests: 0, numFailedTests: -1 };
const rows = existsSync(reportFile)
  ? readFileSync(reportFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string | number>)
  : [];
const of = (section: string) => rows.filter((r) => r["section"] === section);

const loadOk = loads.every(
  (r) => r.errors + r.timeouts + r.non2xx + r.serverErrors + r.lost + r.missing === 0,
);
const faults = of("fault");
const flaps = of("flap");
const conc = of("concurrency");
const same = of("same-key");
const hostileRows = new Map<string, number>();
for (const r of of("hostile")) {
  hostileRows.set(
    String(r["category"]),
    (hostileRows.get(String(r["category"])) ?? 0) + Number(r["tried"]),
  );
}
const hostileTotal = [...hostileRows.values()].reduce((a, b) => a + b, 0);
const flapLost = flaps.reduce(
  (a, r) => a + Math.max(0, Number(r["acked"]) - Number(r["stored"])),
  0,
);
const concLost = conc.reduce((a, r) => a + Number(r["lost"]), 0);
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], {
  cwd: root,
  encoding: "utf8",
}).stdout.trim();
const f1 = (n: number) => n.toFixed(1);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
/** A Markdown table; the first `textColumns` columns are left-aligned, the rest (figures) right. */
const table = (head: string[], body: Array<Array<string | number | undefined>>, textColumns = 1) =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_h, i) => (i < textColumns ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const doc = `# Reliability

How the whole stack (cookie, signing, session, the Express adapter and
\`withSessions\`, MemoryStore, Redis, PostgreSQL and Memcached drivers) holds up
under sustained load, failing stores, concurrent writers and hostile input.
The tests live in \`apps/reliability\`; the threat model and what each claim
rests on are in [SECURITY.md](../SECURITY.md).

**This page is generated** by \`pnpm reliability\` (needs \`pnpm services:up\`;
it builds the packages it uses first).
It loads each app for ${duration} s per store, then runs the whole suite in
its long form (\`REL_FULL=1\`) and writes the figures below. CI runs the short
variant on every \`npm test\` (\`pnpm --filter @tessera/reliability test\`:
10 s load runs, every store behind the fault proxy with the Express app and
Redis with the Fetch app, 2 s of flapping, ${150} fuzz runs per property).

## Summary

${table(
  ["What", "Tried", "Result"],
  [
    [
      "Load (autocannon, 50 connections, one session each)",
      `${fmt(loads.reduce((a, r) => a + r.requests, 0))} requests in ${loads.length} runs of ${duration} s`,
      `${loads.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0)} errors, ${loads.reduce((a, r) => a + r.lost, 0)} lost increments, heap slope ≤ ${f1(Math.max(...loads.map((r) => r.heapSlope)))} MB/min`,
    ],
    [
      "Store faults (latency, hang, refused, dropped mid-command)",
      `${faults.length} outage runs + ${flaps.length / 2} flapping runs on Redis, PostgreSQL, Memcached`,
      `every outage answered 503 with no cookie (slowest ${fmt(Math.max(...faults.map((r) => Number(r["maxTo503Ms"]))))} ms at a ${faults[0]?.["timeoutMs"] ?? "?"} ms timeout), recovered without restart (slowest ${fmt(Math.max(...faults.map((r) => Number(r["recoverMs"]))))} ms), ${flapLost} acknowledged increments lost, never another user's session`,
    ],
    [
      "Concurrent writers on one session",
      `${conc.reduce((a, r) => a + Number(r["writers"]), 0)} writers in ${conc.length} runs on 4 stores`,
      `${concLost} keys lost; ${conc.reduce((a, r) => a + Number(r["conflicts"]), 0)} version conflicts merged, ${conc.reduce((a, r) => a + Number(r["clientRetries"]), 0)} requests retried by the client after a 409`,
    ],
    [
      "Hostile input",
      `${fmt(hostileTotal)} inputs in ${hostileRows.size} categories`,
      "no 500, no crash, victim session intact, documented statuses",
    ],
    [
      "Tests of the long run",
      `${tests.numPassedTests + Math.max(0, tests.numFailedTests)} + ${loads.length} load runs`,
      `${tests.numPassedTests} passed, ${Math.max(0, tests.numFailedTests)} failed; load ${loadOk ? "held" : "FAILED"}`,
    ],
  ],
  3,
)}

## 1. Load and soak

The app runs in its own process (\`node --expose-gc\`), autocannon in another,
on 127.0.0.1. Every connection owns one pre-created session and each request
increments that session's counter. At the end every counter is read from the
store and compared with the increments the server acknowledged (a 200 fully
written to the socket): "lost" counts acknowledged increments missing from the
store, "in flight" those applied whose response was cut by autocannon's stop.
Memory is sampled every second (RSS, and heap used after a full gc); slopes are
least-squares fits after ${warmup} s of warm-up.

${table(
  [
    "App",
    "Store",
    "Requests",
    "Req/s",
    "Errors",
    "Lost",
    "In flight at stop",
    "RSS after warm-up → end (MB)",
    "RSS slope (MB/min)",
    "Heap slope (MB/min)",
  ],
  loads.map((r) => [
    r.app,
    r.store,
    fmt(r.requests),
    fmt(r.reqPerSec),
    r.errors + r.timeouts + r.non2xx + r.serverErrors,
    r.lost,
    r.unacked,
    `${f1(r.rssStartMB)} → ${f1(r.rssEndMB)}`,
    r.rssSlope.toFixed(2),
    r.heapSlope.toFixed(2),
  ]),
  2,
)}

## 2. Store faults

A TCP proxy (\`src/lib/proxy.ts\`) sits between the app and the real server;
the shared servers are never stopped. Store call timeout ${faults[0]?.["timeoutMs"] ?? "?"} ms
(\`commandTimeout\`, \`queryTimeout\`, \`timeoutMs\`). "To 503" is the slowest
request during the outage; "recover" is the time from the network coming back
to the first 200 of the same app process, with the same session and data.
During every outage an anonymous request and a login attempt also get 503
with no \`Set-Cookie\`.

${table(
  ["Store", "App", "Fault", "To 503 (ms)", "Recover (ms)"],
  faults.map((r) => [r["store"], r["app"], r["fault"], r["maxTo503Ms"], r["recoverMs"]]),
  3,
)}

Flapping (the proxy cycles pass / latency 2× timeout / drop / refuse every
150 ms while two users increment their own counters): every 200 carried the
right user and a counter that only moved forward; the store kept every
acknowledged increment ("stored" may exceed "acknowledged" by writes whose
reply was lost: ambiguous, never lost).

${table(
  ["Store", "App", "User", "Attempted", "Acknowledged", "Stored"],
  flaps.map((r) => [r["store"], r["app"], r["user"], r["attempted"], r["acked"], r["stored"]]),
  3,
)}

## 3. Concurrent writers

${conc[0]?.["writers"] ?? "?"} clients set different keys of one logged-in session at once
through HTTP. The manager merges on version conflicts (default \`maxRetries\`); a
request that still conflicts gets 409 (\`ERR_SESSION_CONFLICT\`) and the client
retries it.

${table(
  ["Store", "App", "Requests", "Conflicts merged", "Client retries (409)", "Keys lost"],
  conc.map((r) => [
    r["store"],
    r["app"],
    r["requests"],
    r["conflicts"],
    r["clientRetries"],
    r["lost"],
  ]),
  2,
)}

The same clients incrementing one key get the documented last-writer-wins
result for that key (README "merge semantics"), never a reset or another user:

${table(
  ["Store", "App", "Writers", "200s", "Final counter"],
  same.map((r) => [r["store"], r["app"], r["writers"], r["ok"], r["final"]]),
  2,
)}

## 4. Hostile input

Through the real adapters (Express, \`withSessions\` over node:http). After each
input the server still answers, no response is a 500, and a logged-in victim's
session and data are unchanged.

${table(
  ["Input", "Tried"],
  [...hostileRows].map(([k, v]) => [k, fmt(v)]),
)}

## Environment

Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), commit ${commit},
${new Date().toISOString().slice(0, 10)}. Absolute request rates depend on the machine and on
what else runs on it; errors, losses and slopes should not.
`;

writeFileSync(join(root, "docs", "reliability.md"), doc);
spawnSync("pnpm", ["exec", "biome", "format", "--write", "docs/reliability.md"], {
  cwd: root,
  stdio: "ignore",
});
console.log(
  `wrote docs/reliability.md (${tests.numPassedTests} tests passed, ${tests.numFailedTests} failed)`,
);
if (!loadOk || tests.numFailedTests !== 0 || run.status !== 0) process.exit(1);
