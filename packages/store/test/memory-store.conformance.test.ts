import { describeStore } from "../src/conformance/index.js";
import { MemoryStore } from "../src/index.js";

describeStore("MemoryStore (defaults)", () => new MemoryStore());
describeStore(
  "MemoryStore (bounded, no sweep timer)",
  () => new MemoryStore({ maxEntries: 1000, sweepIntervalMs: 0 }),
  {
    ttlMs: 200,
  },
);
