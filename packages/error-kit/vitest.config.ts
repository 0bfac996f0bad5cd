import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "error-kit", include: ["test/**/*.test.ts"] },
});
