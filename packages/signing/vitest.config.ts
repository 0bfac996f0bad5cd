import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "signing", include: ["test/**/*.test.ts"] },
});
