/**
 * Size budget (the manager is on every request path): the package's
 * own code, bundled and minified as a user's bundler would, then gzipped.
 * Dependencies (@tessera/*) are external: they carry their own budgets.
 */
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

/** Bytes, gzip -9 of the minified ESM bundle; ~1.25x the 11,780 bytes measured when set. */
const BUDGET = 14_750;

// esbuild ships with tsup (the build tool); resolve it through tsup rather than adding a dependency.
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve("tsup"))("esbuild") as {
  build(
    options: Record<string, unknown>,
  ): Promise<{ outputFiles: Array<{ contents: Uint8Array }> }>;
};

describe("bundle size", () => {
  it(`src/index.ts minified + gzipped stays under ${BUDGET} bytes`, async () => {
    const result = await esbuild.build({
      entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
      external: ["@tessera/*"],
      platform: "neutral",
      target: "es2022",
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1000); // the measurement itself works
    expect(gzipped).toBeLessThanOrEqual(BUDGET);
    // Runs on Web Crypto runtimes: no Node built-ins in the bundle.
    const text = new TextDecoder().decode(code);
    expect(text).not.toMatch(/["']node:/);
    expect(text).not.toContain("Math.random");
  });
});
