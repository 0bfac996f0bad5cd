import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// `@tessera/express/migrate` runs the main entry's code (one copy, so sessionOf
// recognises the middleware's sessions); only its declarations differ: they
// leave out the global `req.session`, which would clash with @types/express-session.
export default defineConfig(
  packageBuild(
    { index: "src/index.ts" },
    { platform: "node", dts: { entry: { index: "src/index.ts", migrate: "src/migrate.ts" } } },
  ),
);
