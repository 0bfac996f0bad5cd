import { describeStore } from "@tessera/store/conformance/vitest";
import { afterAll, beforeAll } from "vitest";
import { RedisStore } from "../src/index.js";
import {
  type ClientKind,
  connect,
  type TestClient,
  type Topology,
  uniquePrefix,
} from "./clients.js";

// The contract's own suite, against real servers: both clients on both topologies.
const matrix: Array<[ClientKind, Topology]> = [
  ["node-redis", "standalone"],
  ["node-redis", "cluster"],
  ["ioredis", "standalone"],
  ["ioredis", "cluster"],
];

for (const [kind, topology] of matrix) {
  let client: TestClient;
  const prefix = uniquePrefix(`conf-${kind}-${topology}`);
  beforeAll(async () => {
    client = await connect(kind, topology);
  });
  afterAll(async () => {
    await client?.quit();
  });
  // Each check gets a fresh store over the shared client; close() leaves the client open.
  describeStore(
    `RedisStore (${kind}, ${topology})`,
    () => new RedisStore({ client: client.executor, prefix }),
    { userIndex: true },
  );
}
