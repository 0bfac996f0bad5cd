import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "cookie", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
