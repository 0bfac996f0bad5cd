import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeWebOnly } from "../../../scripts/source-scan.js";

const files = describeWebOnly(
  "runtime neutrality: runs wherever Web Crypto runs",
  new URL("../src", import.meta.url),
  { minFiles: 11 },
);

describe("the conformance entry", () => {
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
