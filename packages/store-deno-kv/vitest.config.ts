import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-deno-kv",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 15_000,
    // The Deno run bundles the suite and runs every conformance check in one process.
    hookTimeout: 120_000,
  },
});
