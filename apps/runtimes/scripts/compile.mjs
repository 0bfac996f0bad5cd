/**
 * Compiles the suite (src/) with esbuild into dist/:
 *   node.mjs, bun.mjs, deno.mjs  the suite with @tessera/* left as bare imports,
 *                                so each runtime resolves the packages' built
 *                                ESM through node_modules and their exports maps;
 *   worker.mjs                   one self-contained module Worker for workerd
 *                                (platform browser, format esm, dependencies inlined);
 *   scenario.mjs                 the serve scenario alone, for the workerd driver;
 *   stores/*.mjs                 the runtime-specific stores' own proof entries
 *                                (see compileStores), each self-contained.
 * Sources of the packages are never read: @tessera/* resolve to packages/x/dist.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(appRoot, "..", "..", "packages");
export const distDir = join(appRoot, "dist");
export const storesDir = join(distDir, "stores");

/**
 * The proof entries the store packages run on their own runtime in their own
 * tests (built and spawned there the same way), compiled here for the matrix.
 */
const STORE_ENTRIES = {
  // node:sqlite on Node 22 and bun:sqlite on Bun: store-sql's builtin-sqlite.test.ts.
  sqlite: {
    entryPoints: [join(packagesDir, "store-sql", "test", "runtime", "builtin-sqlite.ts")],
    platform: "node",
  },
  // Deno KV: store-deno-kv's deno.test.ts.
  "deno-kv": {
    entryPoints: [join(packagesDir, "store-deno-kv", "test", "deno", "conformance.ts")],
    platform: "neutral",
  },
  // The Durable Object store and D1 in workerd: store-cloudflare's workerd.test.ts.
  "cloudflare-worker": {
    entryPoints: [join(packagesDir, "store-cloudflare", "test", "workerd", "worker.ts")],
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
  },
  "cloudflare-driver": {
    entryPoints: [join(packagesDir, "store-cloudflare", "test", "workerd", "driver.ts")],
    platform: "node",
    target: "node22",
  },
};

/**
 * The entries import their package as `../../src/index.js`; the matrix tests
 * what is published, so that import is sent to the package's built
 * dist/index.js, like every other @tessera/* import here.
 */
const builtPackage = {
  name: "built-package",
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, (args) => {
      const source = resolve(args.resolveDir, args.path);
      const pkg = dirname(dirname(source));
      if (dirname(pkg) !== packagesDir) return undefined;
      return { path: join(pkg, "dist", "index.js") };
    });
  },
};

/** Runs one esbuild build; its failure is recorded in `errors[target]`, not thrown. */
async function attemptBuild(errors, target, options) {
  try {
    await build(options);
  } catch (error) {
    errors[target] = (error.errors ?? [{ text: String(error) }])
      .map(
        (e) => `esbuild: ${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ""}`,
      )
      .join("; ");
  }
}

/**
 * Resolves to the errors by target ("suite" for the Node/Bun/Deno entries,
 * "worker", "scenario"); an empty object when everything compiled.
 */
export async function compileSuite() {
  const common = {
    bundle: true,
    format: "esm",
    target: "es2022",
    logLevel: "silent",
    outExtension: { ".js": ".mjs" },
    outdir: distDir,
  };
  const errors = {};
  const attempt = (target, options) => attemptBuild(errors, target, { ...common, ...options });
  await attempt("suite", {
    entryPoints: ["node", "bun", "deno"].map((n) => join(appRoot, "src", "entries", `${n}.ts`)),
    platform: "neutral",
    packages: "external",
    external: ["node:*"],
  });
  await attempt("worker", {
    entryPoints: [join(appRoot, "src", "entries", "worker.ts")],
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
  });
  await attempt("scenario", {
    entryPoints: [join(appRoot, "src", "serve-scenario.ts")],
    entryNames: "scenario",
    platform: "neutral",
  });
  return errors;
}

/**
 * Compiles the store proof entries into dist/stores/<name>.mjs, plus
 * marks.mjs, the result-line prefixes from the entries' own report.ts.
 * Resolves to the errors by entry name; an empty object when all compiled.
 */
export async function compileStores() {
  const errors = {};
  const attempt = (name, options) =>
    attemptBuild(errors, name, {
      bundle: true,
      format: "esm",
      target: "es2022",
      logLevel: "silent",
      plugins: [builtPackage],
      outfile: join(storesDir, `${name}.mjs`),
      ...options,
    });
  for (const [name, options] of Object.entries(STORE_ENTRIES)) await attempt(name, options);
  const report = (pkg, ...path) => JSON.stringify(join(packagesDir, pkg, "test", ...path));
  await attempt("marks", {
    stdin: {
      contents: [
        `export { MARK as sqlite } from ${report("store-sql", "runtime", "report.ts")};`,
        `export { RESULT_MARK as denoKv } from ${report("store-deno-kv", "deno", "report.ts")};`,
        `export { RESULT_MARK as cloudflare } from ${report("store-cloudflare", "workerd", "report.ts")};`,
      ].join("\n"),
      resolveDir: appRoot,
      loader: "ts",
    },
    platform: "neutral",
  });
  return errors;
}
