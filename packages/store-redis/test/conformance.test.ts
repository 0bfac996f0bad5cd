import { describeStore } from "@tessera/store/conformance/vitest";
import { RedisStore } from "../src/index.js";
import { type ClientKind, suiteClient, type Topology, uniquePrefix } from "./clients.js";

// The contract's own suite, against real servers: both clients on both topologies.
const matrix: Array<[ClientKind, Topology]> = [
  ["node-redis", "standalone"],
  ["node-redis", "cluster"],
  ["ioredis", "standalone"],
  ["ioredis", "cluster"],
];

for (const [kind, topology] of matrix) {
  const client = suiteClient(kind, topology);
  const prefix = uniquePrefix(`conf-${kind}-${topology}`);
  // Each check gets a fresh store over the shared client; close() leaves the client open.
  describeStore(
    `RedisStore (${kind}, ${topology})`,
    () => new RedisStore({ client: client().executor, prefix }),
    { userIndex: true },
  );
}
