import { vi } from "vitest";

type Signing = typeof import("../src/index.js");
type Primitives = typeof import("../src/lib/primitives.js");

/** One copy of the package, with the primitives source it picked when it loaded. */
export interface Source {
  readonly name: "node:crypto" | "@noble/hashes";
  readonly signing: Signing;
  readonly primitives: Primitives;
}

/**
 * Loads a fresh copy of the package as a runtime without `node:crypto` would
 * (a browser, workerd without nodejs_compat): `process.getBuiltinModule` is
 * hidden while the modules load, so the copy runs on @noble/hashes and Web
 * Crypto. Tests run each check on both copies.
 */
export async function bothSources(): Promise<[Source, Source]> {
  vi.resetModules();
  const node = {
    signing: await import("../src/index.js"),
    primitives: await import("../src/lib/primitives.js"),
  };
  const proc = process as { getBuiltinModule?: unknown };
  const saved = proc.getBuiltinModule;
  proc.getBuiltinModule = undefined;
  vi.resetModules();
  try {
    const web = {
      signing: await import("../src/index.js"),
      primitives: await import("../src/lib/primitives.js"),
    };
    return [
      { name: node.primitives.primitiveSource, ...node },
      { name: web.primitives.primitiveSource, ...web },
    ];
  } finally {
    proc.getBuiltinModule = saved;
  }
}
