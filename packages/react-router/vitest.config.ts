import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "react-router", include: ["test/**/*.test.ts"] },
});
