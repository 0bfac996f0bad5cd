#!/usr/bin/env node
/**
 * Bundle check (the static half of "runs on Web Crypto runtimes without `node:`
 * imports", whose dynamic half is the runtime matrix): each Web-runtime
 * package's built ESM entry, and each edge store's, is bundled with esbuild
 * for the browser platform, the way a Worker or a browser build would take
 * it. It fails when
 *   - esbuild cannot bundle it (with platform "browser" an import of a Node
 *     built-in such as `node:crypto` does not resolve and is an error),
 *   - any input or output import in the metafile is a Node built-in, or
 *   - the minified or gzipped size is over its budget in bundle-budgets.json.
 *
 *   node scripts/bundle-check.mjs                 check and print the table
 *   node scripts/bundle-check.mjs --write-budgets set budgets to 1.2x today's sizes
 *   node scripts/bundle-check.mjs --dist <dir>    check one package dist (scratch copies)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
export const appRoot = join(here, "..");
const repoRoot = join(appRoot, "..", "..");
export const budgetsFile = join(appRoot, "bundle-budgets.json");

const builtEntry = (name) => ({
  name: `@tessera/${name}`,
  entry: join(repoRoot, "packages", name, "dist", "index.js"),
});

/** The packages that must load without Node built-ins: name → built ESM entry. */
export const WEB_PACKAGES = ["cookie", "signing", "store", "session", "tokens"].map(builtEntry);

/**
 * The stores that are bundled into a Worker or a Deno program (Durable
 * Objects, Deno KV, store-sql's D1 binding): a Node built-in in them breaks
 * those builds just the same, so they are checked, and budgeted, with the rest.
 */
export const EDGE_STORES = ["store-sql", "store-deno-kv", "store-cloudflare"].map(builtEntry);

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** True for `node:x`, `fs`, `crypto/promises`-style specifiers of Node built-ins. */
export function isNodeBuiltin(specifier) {
  return (
    specifier.startsWith("node:") ||
    builtins.has(specifier) ||
    builtins.has(specifier.split("/")[0])
  );
}

/**
 * Bundles one entry for the browser and returns its sizes and every problem
 * found. Never throws for a failed bundle: the failure is in `errors`.
 */
export async function checkBundle(name, entry, budget) {
  const row = { name, minified: 0, gzip: 0, budget, errors: [], inputs: 0 };
  if (!existsSync(entry)) {
    row.errors.push(`${entry} is missing: build the package first`);
    return row;
  }
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      metafile: true,
      logLevel: "silent",
    });
  } catch (error) {
    for (const e of error.errors ?? [{ text: String(error) }]) {
      const where = e.location ? ` (${e.location.file}:${e.location.line})` : "";
      row.errors.push(`esbuild: ${e.text}${where}`);
    }
    return row;
  }
  const { inputs, outputs } = result.metafile;
  row.inputs = Object.keys(inputs).length;
  for (const [file, input] of Object.entries(inputs)) {
    if (isNodeBuiltin(file)) row.errors.push(`Node built-in bundled: ${file}`);
    for (const imp of input.imports) {
      if (isNodeBuiltin(imp.path)) row.errors.push(`${file} imports Node built-in ${imp.path}`);
    }
  }
  for (const output of Object.values(outputs)) {
    for (const imp of output.imports) {
      if (isNodeBuiltin(imp.path)) row.errors.push(`bundle imports Node built-in ${imp.path}`);
      else if (imp.external) row.errors.push(`bundle leaves an import unresolved: ${imp.path}`);
    }
  }
  const code = result.outputFiles[0].contents;
  row.minified = code.length;
  row.gzip = gzipSync(code, { level: 9 }).length;
  if (budget) {
    if (row.minified > budget.minified) {
      row.errors.push(`minified ${row.minified} B is over the budget of ${budget.minified} B`);
    }
    if (row.gzip > budget.gzip) {
      row.errors.push(`gzipped ${row.gzip} B is over the budget of ${budget.gzip} B`);
    }
  } else {
    row.errors.push(`no budget for ${name} in bundle-budgets.json`);
  }
  return row;
}

export function readBudgets() {
  return JSON.parse(readFileSync(budgetsFile, "utf8")).budgets;
}

/** Checks every Web-runtime package and edge store; resolves to one row per package. */
export async function bundleCheck(budgets = readBudgets()) {
  const rows = [];
  for (const { name, entry } of [...WEB_PACKAGES, ...EDGE_STORES])
    rows.push(await checkBundle(name, entry, budgets[name]));
  return rows;
}

export function formatRows(rows) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = rows.map((r) => {
    const budget = r.budget ? `${kb(r.budget.minified)} / ${kb(r.budget.gzip)}` : "none";
    const status = r.errors.length === 0 ? "ok" : "FAIL";
    return `  ${r.name.padEnd(26)} ${kb(r.minified).padStart(10)} min ${kb(r.gzip).padStart(10)} gzip   budget ${budget}   ${status}`;
  });
  for (const r of rows) for (const e of r.errors) lines.push(`    ✗ ${r.name}: ${e}`);
  return lines.join("\n");
}

async function main(args) {
  if (args[0] === "--dist") {
    const dir = resolve(args[1] ?? ".");
    const row = await checkBundle(`dist at ${dir}`, join(dir, "index.js"), {
      minified: Number.POSITIVE_INFINITY,
      gzip: Number.POSITIVE_INFINITY,
    });
    console.log(formatRows([row]));
    process.exit(row.errors.length === 0 ? 0 : 1);
  }
  if (args[0] === "--write-budgets") {
    const rows = await bundleCheck({});
    const budgets = {};
    // 1.2x today's size, rounded up to 100 bytes: room for small changes,
    // while an accidental dependency or polyfill fails the check.
    const up = (n) => Math.ceil((n * 1.2) / 100) * 100;
    for (const r of rows) budgets[r.name] = { minified: up(r.minified), gzip: up(r.gzip) };
    const doc = {
      description:
        "Bundle budgets (bytes) of the Web-runtime packages' and edge stores' ESM entries bundled with esbuild for the browser platform, dependencies included. Set to ~1.2x the measured sizes by `node scripts/bundle-check.mjs --write-budgets`.",
      measured: Object.fromEntries(
        rows.map((r) => [r.name, { minified: r.minified, gzip: r.gzip }]),
      ),
      budgets,
    };
    writeFileSync(budgetsFile, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(formatRows(await bundleCheck(budgets)));
    return;
  }
  const rows = await bundleCheck();
  console.log(formatRows(rows));
  const failed = rows.filter((r) => r.errors.length > 0).length;
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
