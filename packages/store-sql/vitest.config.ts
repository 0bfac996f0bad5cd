import { defineProject } from "vitest/config";

// The test files share two real servers (and stop and restart them in the
// fault tests), so they run one after another.
export default defineProject({
  test: {
    name: "store-sql",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
