/**
 * The store rows of the matrix: each runtime-specific store runs its own
 * package's proof entry (compiled by compileStores into dist/stores) on its
 * runtime, and every check in the entry's report, conformance checks first,
 * counts as one of the matrix's passed or failed:
 *
 *   node22   SqlStore on node:sqlite  (store-sql, test/runtime/builtin-sqlite.ts)
 *   bun      SqlStore on bun:sqlite   (the same entry)
 *   deno     DenoKvStore on Deno KV   (store-deno-kv, test/deno/conformance.ts)
 *   workerd  DurableObjectStore and SqlStore on D1, and a Hono app on the
 *            Durable Object store     (store-cloudflare, test/workerd/*.ts)
 *
 * Each runtime gets the flags and permissions its package's test gives it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { storesDir } from "./compile.mjs";

const checkNames = conformanceChecks.map((c) => c.name);

/** A report's check list as matrix results, each name prefixed with where it ran. */
const asResults = (prefix, list) =>
  list.map((r) => ({ name: `${prefix}: ${r.name}`, ok: r.ok, error: r.error ?? "" }));

/**
 * One more result per conformance run: it ran every check of the suite, in
 * order, so a check that is skipped or missing fails the row.
 */
function complete(prefix, list) {
  const names = list.map((r) => r.name);
  const ok = names.length === checkNames.length && names.every((n, i) => n === checkNames[i]);
  return {
    name: `${prefix}: all ${checkNames.length} conformance checks ran`,
    ok,
    error: `ran ${names.length}: ${names.filter((n) => !checkNames.includes(n)).join(", ") || "(no unknown names)"}`,
  };
}

function sqliteResults(report) {
  const results = [];
  for (const suite of report.suites) {
    const prefix = `store-sql ${suite.name}`;
    results.push(...asResults(prefix, suite.results));
    if (suite.name.startsWith("conformance")) results.push(complete(prefix, suite.results));
  }
  return { version: report.runtime, results };
}

function denoKvResults(report) {
  const conformance = report.results.filter((r) => !r.name.startsWith("deno-kv: "));
  const own = report.results.filter((r) => r.name.startsWith("deno-kv: "));
  return {
    version: `v${report.deno}`,
    results: [
      ...asResults("store-deno-kv conformance", conformance),
      complete("store-deno-kv conformance", conformance),
      ...asResults("store-deno-kv", own),
    ],
  };
}

function cloudflareResults(report) {
  return {
    version: `workerd ${report.workerd}`,
    results: [
      ...asResults("store-cloudflare Durable Object conformance", report.durableObject),
      complete("store-cloudflare Durable Object conformance", report.durableObject),
      ...asResults("store-sql D1 conformance", report.d1),
      complete("store-sql D1 conformance", report.d1),
      ...asResults("store-cloudflare workerd", report.checks),
      ...asResults("store-cloudflare Hono app", report.scenarios),
      {
        name: "store-cloudflare: the objects saw exactly the requests the Worker sent",
        ok: report.objectRequests === report.stubRequests,
        error: `objects counted ${report.objectRequests}, the Worker ${report.stubRequests}`,
      },
    ],
  };
}

/**
 * The store run of each runtime that has one: its command (on the runtime's
 * binary), the prefix of its result line and how to read the report.
 *
 * @param {{ node22: string, bun: string, deno: string, miniflare: string, tmp: string }} env
 */
export async function storeRuns({ node22, bun, deno, miniflare, tmp }) {
  // When marks.mjs did not compile, every row fails on that compile error.
  const marks = await import(pathToFileURL(join(storesDir, "marks.mjs")).href).catch(() => ({}));
  const entry = (name) => join(storesDir, `${name}.mjs`);
  // Deno KV writes its database file here, and may read and write nothing else.
  const kvDir = join(tmp, "deno-kv");
  mkdirSync(kvDir, { recursive: true });
  return {
    node22: {
      label: "node:sqlite",
      bin: node22,
      // node:sqlite prints an ExperimentalWarning on Node 22.
      args: ["--disable-warning=ExperimentalWarning", entry("sqlite")],
      entries: ["sqlite", "marks"],
      mark: marks.sqlite,
      read: sqliteResults,
    },
    bun: {
      label: "bun:sqlite",
      bin: bun,
      args: [entry("sqlite")],
      entries: ["sqlite", "marks"],
      mark: marks.sqlite,
      read: sqliteResults,
    },
    deno: {
      label: "Deno KV",
      bin: deno,
      args: [
        "run",
        "--no-config",
        "--no-lock",
        "--no-prompt",
        "--unstable-kv",
        `--allow-read=${kvDir}`,
        `--allow-write=${kvDir}`,
        entry("deno-kv"),
        join(kvDir, "kv.sqlite3"),
      ],
      entries: ["deno-kv", "marks"],
      mark: marks.denoKv,
      read: denoKvResults,
    },
    workerd: {
      label: "Durable Object + D1",
      // miniflare 4 needs Node >= 22: the driver runs on the npm node@22.
      bin: node22,
      args: [entry("cloudflare-driver"), entry("cloudflare-worker"), miniflare],
      entries: ["cloudflare-driver", "cloudflare-worker", "marks"],
      mark: marks.cloudflare,
      read: cloudflareResults,
    },
  };
}
