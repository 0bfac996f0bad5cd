import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "reliability",
    include: ["src/**/*.test.ts"],
    // Load runs measure the machine; two at once would measure each other.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
