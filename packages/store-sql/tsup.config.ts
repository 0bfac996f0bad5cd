import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// The database clients are optional peer dependencies: tsup keeps peers
// external, and the bindings only ever receive a client the user created.
export default defineConfig(packageBuild({ index: "src/index.ts" }, { platform: "node" }));
