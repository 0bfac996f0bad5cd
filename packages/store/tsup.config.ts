import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// vitest is an optional peer dependency: tsup keeps peers external, and only
// the conformance/vitest entry imports it (the conformance entry runs without).
// Splitting puts the code the entries share (errors, validators) in shared
// chunks, so a driver that imports both `@tessera/store` and
// `@tessera/store/driver` gets one StoreError class, not a copy per entry, and
// edge bundles carry it once.
export default defineConfig(
  packageBuild(
    {
      index: "src/index.ts",
      conformance: "src/conformance/index.ts",
      "conformance/vitest": "src/conformance/vitest.ts",
      driver: "src/driver/index.ts",
    },
    { external: ["vitest"], splitting: true },
  ),
);
