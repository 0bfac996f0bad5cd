import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleCheck, checkBundle, isNodeBuiltin, WEB_PACKAGES } from "../scripts/bundle-check.mjs";

const scratch = mkdtempSync(join(tmpdir(), "tessera-bundle-check-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("bundle check (no Node built-in in a Web-runtime bundle)", () => {
  it("bundles every Web-runtime package and edge store for the browser, Node-free and within budget", async () => {
    const rows = await bundleCheck();
    expect(rows.map((r) => r.name)).toEqual([
      "@tessera/cookie",
      "@tessera/signing",
      "@tessera/store",
      "@tessera/session",
      "@tessera/tokens",
      "@tessera/store-sql",
      "@tessera/store-deno-kv",
      "@tessera/store-cloudflare",
    ]);
    for (const row of rows) {
      expect(row.errors, row.name).toEqual([]);
      expect(row.minified).toBeGreaterThan(0);
      expect(row.gzip).toBeLessThan(row.minified);
    }
  });

  it.each([
    ['import "node:crypto";', "node:crypto"],
    ['import { createHash } from "crypto";', "crypto"],
    ['export { readFileSync } from "node:fs";', "node:fs"],
  ])("fails a scratch copy of @tessera/cookie's dist that adds %s", async (line, specifier) => {
    const cookie = WEB_PACKAGES[0]!;
    const dir = join(scratch, specifier.replace(/\W/g, "_"));
    cpSync(join(cookie.entry, ".."), dir, { recursive: true });
    const entry = join(dir, "index.js");
    writeFileSync(entry, `${line}\n${readFileSync(entry, "utf8")}`);
    const row = await checkBundle("scratch", entry, { minified: 1e9, gzip: 1e9 });
    expect(row.errors.join("\n")).toContain(specifier);
  });

  it("fails a package over its budget", async () => {
    const cookie = WEB_PACKAGES[0]!;
    const row = await checkBundle(cookie.name, cookie.entry, { minified: 100, gzip: 100 });
    expect(row.errors.some((e) => e.includes("over the budget"))).toBe(true);
  });

  it.each([
    ["node:crypto", true],
    ["crypto", true],
    ["fs/promises", true],
    ["jose", false],
    ["@noble/hashes/sha2.js", false],
  ])("isNodeBuiltin(%s) is %s", (specifier, expected) => {
    expect(isNodeBuiltin(specifier)).toBe(expected);
  });
});
