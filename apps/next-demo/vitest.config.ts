import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "next-demo",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    // `next build` takes about 50 s on a 2-core machine.
    hookTimeout: 240_000,
  },
});
