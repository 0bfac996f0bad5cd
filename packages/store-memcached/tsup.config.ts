import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// A driver: it runs on Node (node:crypto for the ketama ring and index keys).
export default defineConfig(packageBuild({ index: "src/index.ts" }, { platform: "node" }));
