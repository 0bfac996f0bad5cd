// Real clients for the driver tests, created the way the README tells users to.
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { afterAll, beforeAll } from "vitest";
import { requireService, serviceEnv } from "../../../scripts/test-env.js";
import type { RedisExecutor } from "../src/index.js";
import { fromIoredis, fromNodeRedis, fromNodeRedisCluster } from "../src/index.js";

export type ClientKind = "node-redis" | "ioredis";
export type Topology = "standalone" | "cluster";

/** Both client libraries the README documents. */
export const CLIENT_KINDS: readonly ClientKind[] = ["node-redis", "ioredis"];

export interface TestClient {
  executor: RedisExecutor;
  quit(): Promise<void>;
}

const ignore = () => undefined;

/** What {@link connected} needs of a node-redis or ioredis client or cluster. */
interface Connectable {
  on(event: "error", listener: () => void): unknown;
  connect(): Promise<unknown>;
}

/**
 * Connects `client` with its "error" events ignored: every call reports a
 * failure through its own rejection, and an unheard "error" event would crash
 * the test process.
 */
export async function connected<C extends Connectable>(client: C): Promise<C> {
  client.on("error", ignore);
  await client.connect();
  return client;
}

export async function redisUrl(): Promise<string> {
  return requireService("REDIS_URL");
}

export async function clusterNodes(): Promise<Array<{ host: string; port: number }>> {
  const value = await requireService("REDIS_CLUSTER_NODES");
  return value.split(",").map((item) => {
    const [host, port] = item.trim().split(":");
    return { host: host!, port: Number(port) };
  });
}

/** A plain node-redis client (for MONITOR, ACL SETUSER, raw inspection). */
export async function rawNodeRedis(options: { username?: string; password?: string } = {}) {
  return connected(
    createClient({
      url: await redisUrl(),
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
      ...options,
    }),
  );
}

export async function connect(kind: ClientKind, topology: Topology): Promise<TestClient> {
  if (kind === "node-redis" && topology === "standalone") {
    const client = await rawNodeRedis();
    return { executor: fromNodeRedis(client), quit: () => client.quit().then(ignore) };
  }
  if (kind === "node-redis") {
    const nodes = await clusterNodes();
    const cluster = await connected(
      createCluster({
        rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
        defaults: { disableOfflineQueue: true },
      }),
    );
    return { executor: fromNodeRedisCluster(cluster), quit: () => cluster.quit().then(ignore) };
  }
  if (topology === "standalone") {
    const client = await connected(
      new Redis(await redisUrl(), {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
      }),
    );
    return { executor: fromIoredis(client), quit: () => client.quit().then(ignore) };
  }
  const cluster = await connected(
    new Cluster(await clusterNodes(), {
      enableOfflineQueue: true,
      redisOptions: { maxRetriesPerRequest: 1 },
      lazyConnect: true,
    }),
  );
  return { executor: fromIoredis(cluster), quit: () => cluster.quit().then(ignore) };
}

/**
 * A client of `kind` on `topology` for the enclosing suite: connected before
 * its tests, quit after them. Call the returned function in a test or a hook
 * registered after this call.
 */
export function suiteClient(kind: ClientKind, topology: Topology): () => TestClient {
  let client: TestClient | undefined;
  beforeAll(async () => {
    client = await connect(kind, topology);
  });
  afterAll(async () => {
    // A fault test may leave the server stopped: a failed quit must not hide the tests' results.
    await client?.quit().catch(ignore);
  });
  return () => {
    if (client === undefined) throw new Error(`the ${kind} ${topology} client is not connected`);
    return client;
  };
}

/** A prefix no other test file (or run) shares. */
export function uniquePrefix(name: string): string {
  return `tessera-test:${name}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}

export { serviceEnv };
