import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-cloudflare",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 15_000,
    // The workerd run bundles a Worker and runs the conformance suite twice and the HTTP scenarios in it.
    hookTimeout: 180_000,
  },
});
