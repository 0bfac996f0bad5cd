import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../", import.meta.url));
const app = join(root, "sveltekit-app");
// Inside the harness's node_modules: the built server resolves its external
// imports (the Tessera packages) from where it is written, and git never sees it.
const cache = join(root, "node_modules", ".cache", "tessera-kit");
/** The adapter-node output the harness serves: `handler.js` inside. */
export const KIT_OUT = join(cache, "out");
const stamp = join(cache, "sources.sha256");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : files(path);
      return [path];
    })
    .sort();
}

/** A digest of everything the build bundles from the repository: the app and the modules it imports. */
function sourcesDigest(): string {
  const hash = createHash("sha256");
  const imported = ["routes.ts", "kit-registry.ts"].map((name) => join(root, "src", "lib", name));
  for (const file of [...files(app), ...imported]) {
    hash.update(file.slice(root.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/**
 * Builds `sveltekit-app` with `vite build` and adapter-node into the cache,
 * unless the cached build is of the same sources (a build takes about half a
 * minute, too long for a matrix cell's `beforeAll`).
 */
export async function buildKitApp(): Promise<void> {
  const digest = sourcesDigest();
  if (existsSync(join(KIT_OUT, "handler.js")) && existsSync(stamp)) {
    if (readFileSync(stamp, "utf8") === digest) return;
  }
  rmSync(cache, { recursive: true, force: true });
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  await promisify(execFile)(process.execPath, [vite, "build"], {
    cwd: app,
    env: { ...process.env, TESSERA_KIT_OUT: KIT_OUT, TESSERA_KIT_DIR: join(cache, "kit") },
    timeout: 240_000,
  });
  writeFileSync(stamp, digest);
}
