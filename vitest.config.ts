import { defineConfig } from "vitest/config";

// One vitest project per package and app; `pnpm vitest` at the root runs them all,
// `pnpm test:unit` runs them per package through turbo (cached, dependency-ordered).
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "scripts"],
  },
});
