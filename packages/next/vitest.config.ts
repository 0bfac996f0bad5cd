import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "next", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
