import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "harness",
    include: ["src/**/*.test.ts"],
    // Builds the SvelteKit app of the matrix's sveltekit entry (cached by its sources).
    globalSetup: ["src/global-setup.ts"],
    // The matrix shares the local services with other packages' tests: one file at a time.
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 20_000,
  },
});
