import type { Options } from "tsup";

// The demo runs the ESM code and nothing else, and the declarations are most
// of the build time: a fresh clone's `npm run demo` builds this much only.
const JS_ONLY: Options = { format: ["esm"], dts: false };

/**
 * The one build every publishable package shares: ESM and CommonJS, each with
 * its own declaration file (`.d.ts` for import, `.d.cts` for require), so
 * publint and attw see correct types under every resolution mode.
 * `TESSERA_BUILD=js` (what `npm run demo` builds after a demo-only install)
 * gives the ESM code alone.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    // The private @tessera/error-kit is bundled into the code (it is a
    // devDependency) and must be inlined into the declarations too.
    dts: { resolve: ["@tessera/error-kit"] },
    clean: true,
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    splitting: false,
    treeshake: true,
    ...overrides,
    ...(process.env.TESSERA_BUILD === "js" ? JS_ONLY : {}),
  };
}
