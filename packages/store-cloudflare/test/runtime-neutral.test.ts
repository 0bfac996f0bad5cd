import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The store and its object run inside Workers without nodejs_compat: Web APIs only. (A use of a
// Cloudflare global fails typecheck: the package has no Workers types.)
const src = fileURLToPath(new URL("../src", import.meta.url));
const files = (readdirSync(src, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => [f, readFileSync(join(src, f), "utf8")] as const);

describe("runtime neutrality", () => {
  it("has source files to check", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  it.each(files)("%s imports no node: module and uses no Buffer or process", (_, text) => {
    expect(text).not.toMatch(/from\s+["']node:/);
    expect(text).not.toMatch(/\bBuffer\b/);
    expect(text).not.toMatch(/\bprocess\./);
    // cloudflare:workers exists only inside workerd; the package also loads on Node and in tests.
    expect(text).not.toMatch(/from\s+["']cloudflare:/);
  });
});
