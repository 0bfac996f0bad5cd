/**
 * Runs the suite on workerd through miniflare (a Node library: this driver
 * runs under the matrix's Node 22, as miniflare 4 needs Node >= 22). The
 * Worker is dist/worker.mjs, given to miniflare as `script` text, as a module
 * Worker with no nodejs_compat flag (only Web APIs, so @tessera/signing runs
 * on @noble/hashes), or with it when `--nodejs-compat` is given (then
 * `process.getBuiltinModule("node:crypto")` exists and the package uses it).
 *
 *   node scripts/workerd.mjs <input.json> [--nodejs-compat]   one phase, via dispatchFetch POST /__phase
 *   node scripts/workerd.mjs --serve [--nodejs-compat]        the serve scenario via dispatchFetch
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const MARK = "@@tessera-runtimes@@ ";
const requireFromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
const workerdVersion = JSON.parse(
  readFileSync(requireFromMiniflare.resolve("workerd/package.json"), "utf8"),
).version;
const compat = process.argv.includes("--nodejs-compat");
const version = `workerd ${workerdVersion}${compat ? " nodejs_compat" : ""}`;
const runtime = compat ? "workerd-compat" : "workerd";

const mf = new Miniflare({
  modules: true,
  script: readFileSync(join(appRoot, "dist", "worker.mjs"), "utf8"),
  scriptPath: join(appRoot, "dist", "worker.mjs"),
  compatibilityDate: "2026-07-01",
  compatibilityFlags: compat ? ["nodejs_compat"] : [],
  bindings: { WORKERD_VERSION: version, RUNTIME_ID: runtime },
});

try {
  const arg = process.argv.slice(2).find((a) => a !== "--nodejs-compat");
  if (arg === "--serve") {
    const { serveScenario } = await import(join(appRoot, "dist", "scenario.mjs"));
    const results = await serveScenario(
      (url, init) => mf.dispatchFetch(url, init),
      "http://127.0.0.1",
      runtime,
    );
    console.log(MARK + JSON.stringify({ runtime, version, results }));
  } else {
    const response = await mf.dispatchFetch("http://127.0.0.1/__phase", {
      method: "POST",
      body: readFileSync(arg, "utf8"),
      headers: { "content-type": "application/json" },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${text}`);
    console.log(MARK + text);
  }
} finally {
  await mf.dispose();
}
