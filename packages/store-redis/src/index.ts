export type { IoredisLike } from "./clients/ioredis.js";
export { fromIoredis } from "./clients/ioredis.js";
export type {
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisClusterPipelineLike,
} from "./clients/node-redis.js";
export { fromNodeRedis, fromNodeRedisCluster } from "./clients/node-redis.js";
export type { RedisCommandOptions, RedisExecutor } from "./executor.js";
export type { RedisDurability, RedisStoreOptions } from "./redis-store.js";
export { RedisStore } from "./redis-store.js";
