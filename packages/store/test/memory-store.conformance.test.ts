import { describeStore } from "../src/conformance/vitest.js";
import { MemoryStore } from "../src/index.js";

// userIndex: true, so losing the index fails here rather than being skipped.
describeStore("MemoryStore (defaults)", () => new MemoryStore(), { userIndex: true });
describeStore(
  "MemoryStore (bounded, no sweep timer)",
  () => new MemoryStore({ maxEntries: 1000, sweepIntervalMs: 0 }),
  { ttlMs: 200, userIndex: true },
);
