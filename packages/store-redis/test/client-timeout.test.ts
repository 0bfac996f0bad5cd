import { afterEach, describe, expect, it, vi } from "vitest";
import { RedisStore } from "../src/index.js";
import { rawNodeRedis, suiteClient, type Topology, uniquePrefix } from "./clients.js";

// node-redis gives every command a default 5 s timeout built from
// AbortSignal.timeout and a listener per command, which cost the server more
// CPU than the command itself. The store bounds every call with its own
// commandTimeout, so its node-redis bindings turn the client's off: no
// AbortSignal.timeout per command, standalone or Cluster.

const topologies: Topology[] = ["standalone", "cluster"];

describe.each(topologies)("node-redis (%s) under the store", (topology) => {
  const client = suiteClient("node-redis", topology);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends every command without a client-side AbortSignal.timeout", async () => {
    const store = new RedisStore({ client: client().executor, prefix: uniquePrefix("no-abort") });
    // Warm up first: connection set-up and the first EVAL may use the client's own options.
    await store.set("k", { value: "v", expiresAt: Date.now() + 60_000 });
    const timeout = vi.spyOn(AbortSignal, "timeout");
    await store.get("k");
    await store.set("k", { value: "w", expiresAt: Date.now() + 60_000 }, { expectVersion: 1 });
    await store.delete("k");
    expect(timeout).not.toHaveBeenCalled();
  });

  it("(control) the spy does see node-redis's default per-command timeout", async () => {
    const raw = await rawNodeRedis();
    try {
      const timeout = vi.spyOn(AbortSignal, "timeout");
      await raw.sendCommand(["PING"]);
      expect(timeout).toHaveBeenCalled();
    } finally {
      await raw.quit();
    }
  });
});
