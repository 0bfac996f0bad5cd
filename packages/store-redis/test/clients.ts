// Real clients for the driver tests, created the way the README tells users to.
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { requireService, serviceEnv } from "../../../scripts/test-env.js";
import type { RedisExecutor } from "../src/index.js";
import { fromIoredis, fromNodeRedis, fromNodeRedisCluster } from "../src/index.js";

export type ClientKind = "node-redis" | "ioredis";
export type Topology = "standalone" | "cluster";

export interface TestClient {
  executor: RedisExecutor;
  quit(): Promise<void>;
}

const ignore = () => undefined;

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
  const client = createClient({
    url: await redisUrl(),
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
    ...options,
  });
  client.on("error", ignore);
  await client.connect();
  return client;
}

export async function connect(kind: ClientKind, topology: Topology): Promise<TestClient> {
  if (kind === "node-redis" && topology === "standalone") {
    const client = await rawNodeRedis();
    return { executor: fromNodeRedis(client), quit: () => client.quit().then(ignore) };
  }
  if (kind === "node-redis") {
    const nodes = await clusterNodes();
    const cluster = createCluster({
      rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      defaults: { disableOfflineQueue: true },
    });
    cluster.on("error", ignore);
    await cluster.connect();
    return { executor: fromNodeRedisCluster(cluster), quit: () => cluster.quit().then(ignore) };
  }
  if (topology === "standalone") {
    const client = new Redis(await redisUrl(), {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    client.on("error", ignore);
    await client.connect();
    return { executor: fromIoredis(client), quit: () => client.quit().then(ignore) };
  }
  const cluster = new Cluster(await clusterNodes(), {
    enableOfflineQueue: true,
    redisOptions: { maxRetriesPerRequest: 1 },
    lazyConnect: true,
  });
  cluster.on("error", ignore);
  await cluster.connect();
  return { executor: fromIoredis(cluster), quit: () => cluster.quit().then(ignore) };
}

/** A prefix no other test file (or run) shares. */
export function uniquePrefix(name: string): string {
  return `tessera-test:${name}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}

export { serviceEnv };
