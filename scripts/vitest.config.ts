import { defineProject } from "vitest/config";

// The scripts' own tests (test-env.ts). Run alone with `pnpm exec vitest run --root scripts`,
// or as the "scripts" project from the root config.
export default defineProject({
  test: {
    name: "scripts",
    include: ["*.test.ts"],
  },
});
