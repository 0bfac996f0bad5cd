import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-memcached",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The files share two real Memcached servers and one of them stops the second server.
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 20_000,
  },
});
