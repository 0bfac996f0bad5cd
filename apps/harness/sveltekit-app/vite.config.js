import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [sveltekit()],
  // The Tessera packages stay imports of the built server (adapter-node keeps
  // the package.json `dependencies` external), so the manager the harness
  // builds and the hook's `sessionHandle` come from the same modules.
  ssr: { external: ["@tessera/session", "@tessera/sveltekit"] },
  logLevel: "warn",
});
