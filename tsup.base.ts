import type { Options } from "tsup";

/**
 * The one build every publishable package shares: ESM and CommonJS, each with
 * its own declaration file (`.d.ts` for import, `.d.cts` for require), so
 * publint and attw see correct types under every resolution mode.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
