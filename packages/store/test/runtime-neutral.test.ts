import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));
const files = (readdirSync(src, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => [f, readFileSync(join(src, f), "utf8")] as const);

describe("runtime neutrality: runs wherever Web Crypto runs", () => {
  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files)("%s imports no node: module, Buffer or process", (_, text) => {
    expect(text).not.toMatch(/from\s+["']node:/);
    expect(text).not.toMatch(/\bBuffer\b/);
    expect(text).not.toMatch(/\bprocess\./);
  });
  // The conformance entry must load under any test framework and from CommonJS.
  it("imports vitest only in conformance/vitest.ts, which no other module imports", () => {
    const vitestEntry = join("conformance", "vitest.ts");
    expect(files.map(([file]) => file)).toContain(vitestEntry);
    for (const [file, text] of files) {
      if (file !== vitestEntry) expect(text).not.toMatch(/from\s+["']vitest["']/);
      expect(text).not.toMatch(/from\s+["']\.{1,2}\/(conformance\/)?vitest\.js["']/);
    }
  });
});
