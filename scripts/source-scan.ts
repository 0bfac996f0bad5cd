/**
 * The shipped sources of a package, for tests that scan them for what a Web
 * runtime lacks. Node built-ins only, so any package's tests can import it
 * relatively, like http-test-kit.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** `[path under src, text]` of every `.ts` file under `src` (a URL or a path), tests excluded. */
export function sourceFiles(src: URL | string): Array<readonly [string, string]> {
  const dir = typeof src === "string" ? src : fileURLToPath(src);
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => [f, readFileSync(join(dir, f), "utf8")] as const);
}

/**
 * What in `text` needs Node rather than Web APIs: a `node:` import, `Buffer`,
 * or `process.` (edge runtimes such as workerd without nodejs_compat, Deno
 * Deploy and browsers have none of them). Empty when the source is Web-only.
 */
export function nodeOnlyUses(text: string): string[] {
  const found: string[] = [];
  if (/from\s+["']node:/.test(text)) found.push("a node: import");
  if (/\bBuffer\b/.test(text)) found.push("Buffer");
  if (/\bprocess\./.test(text)) found.push("process");
  return found;
}

/**
 * The runtime-neutrality test a Web-runtime package runs over its sources:
 * at least `minFiles` files are found (so a moved `src` cannot pass
 * vacuously), and none uses what only Node has (see {@link nodeOnlyUses}),
 * nor matches `forbidden` (a package's own extra rule).
 */
export function describeWebOnly(
  title: string,
  src: URL,
  options: { minFiles: number; forbidden?: RegExp },
): Array<readonly [string, string]> {
  const files = sourceFiles(src);
  describe(title, () => {
    it("has source files to check", () => {
      expect(files.length).toBeGreaterThanOrEqual(options.minFiles);
    });
    it.each(files)("%s imports no node: module and uses no Buffer or process", (_, text) => {
      expect(nodeOnlyUses(text)).toEqual([]);
      if (options.forbidden) expect(text).not.toMatch(options.forbidden);
    });
  });
  return files;
}
