/**
 * Compiles the suite (src/) with esbuild into dist/:
 *   node.mjs, bun.mjs, deno.mjs  the suite with @tessera/* left as bare imports,
 *                                so each runtime resolves the packages' built
 *                                ESM through node_modules and their exports maps;
 *   worker.mjs                   one self-contained module Worker for workerd
 *                                (platform browser, format esm, dependencies inlined);
 *   scenario.mjs                 the serve scenario alone, for the workerd driver.
 * Sources of the packages are never read: @tessera/* resolve to packages/x/dist.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = join(appRoot, "dist");

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
  const attempt = async (target, options) => {
    try {
      await build({ ...common, ...options });
    } catch (error) {
      errors[target] = (error.errors ?? [{ text: String(error) }])
        .map(
          (e) =>
            `esbuild: ${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ""}`,
        )
        .join("; ");
    }
  };
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
