import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "..", "src");
const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter(
  (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
);

// The package must run on Web Crypto runtimes (edge runtimes have no node: modules).
describe("runtime neutrality", () => {
  it.each(files)("%s imports nothing from node: and no Buffer", (file) => {
    const text = readFileSync(join(src, file), "utf8");
    expect(text).not.toMatch(/from\s+["']node:|require\(|\bBuffer\b/);
  });

  // MACs are never compared as strings: `===` leaks where they differ through timing.
  it("compares MACs only through the constant-time helpers", () => {
    for (const file of files) {
      const text = readFileSync(join(src, file), "utf8");
      expect(text).not.toMatch(
        /\b(mac|signature|digest)\s*[!=]==|[!=]==\s*(mac|signature|digest)\b|Buffer\.compare/i,
      );
    }
  });
});
