import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// vitest is an optional peer dependency: tsup keeps peers external, and only
// the conformance entry imports it.
export default defineConfig(
  packageBuild(
    { index: "src/index.ts", conformance: "src/conformance/index.ts" },
    { external: ["vitest"] },
  ),
);
