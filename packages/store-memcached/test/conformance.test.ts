import { describeStore } from "@tessera/store/conformance/vitest";
import { afterAll, beforeAll } from "vitest";
import { MemcachedStore } from "../src/memcached-store.js";
import { createMemjs, memcachedServers, memjsClient, uniquePrefix } from "./servers.js";

const servers = await memcachedServers();
const one = createMemjs(servers.slice(0, 1));
const two = createMemjs(servers);
const oneClient = memjsClient(one);
const twoClient = memjsClient(two);

beforeAll(() => undefined);
afterAll(() => {
  one.close();
  two.close();
});

// Memcached TTLs tick in whole seconds, but the store filters on the exact
// expiresAt it keeps inside each item, so the suite's default timing holds;
// ttlMs 1200 still exercises items that outlive a server-side second boundary.
const options = { ttlMs: 1200, timeoutMs: 15_000, userIndex: true };

describeStore(
  "MemcachedStore on one server",
  () => new MemcachedStore({ client: oneClient, prefix: uniquePrefix("one") }),
  options,
);
describeStore(
  "MemcachedStore on two servers",
  () => new MemcachedStore({ client: twoClient, prefix: uniquePrefix("two") }),
  options,
);
