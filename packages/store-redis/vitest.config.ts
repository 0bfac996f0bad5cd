import { defineProject } from "vitest/config";

// The test files share one Redis server and one Cluster (and the fault test
// stops the server), so they run one after another.
export default defineProject({
  test: {
    name: "store-redis",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
