/** The demo's settings, all from environment variables. */
export interface DemoConfig {
  /** `PORT` (0 picks a free port). @default 3000 */
  port: number;
  /** `TESSERA_SECRET`: at least 32 random bytes as hex, base64 or base64url text; generated when unset. */
  secret: string | undefined;
  /** `TESSERA_STORE`: where sessions live. @default "memory" */
  store: "memory" | "redis" | "postgres";
  /** `REDIS_URL`, for `TESSERA_STORE=redis`. */
  redisUrl: string | undefined;
  /** `DATABASE_URL`, for `TESSERA_STORE=postgres`. */
  databaseUrl: string | undefined;
  /** `DEMO_USERS_FILE`: keep accounts in this JSON file (e.g. data/users.json); in memory when unset. */
  usersFile: string | undefined;
  /** `TRUST_PROXY`: Express's "trust proxy" value, when behind a reverse proxy. */
  trustProxy: boolean | number | string;
  /** `HSTS=1`: send Strict-Transport-Security (only behind HTTPS). */
  hsts: boolean;
}

/** A configuration mistake: printed without a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Reads and checks the environment; throws `ConfigError` naming the variable. */
export function readConfig(env: Record<string, string | undefined>): DemoConfig {
  const portText = nonEmpty(env.PORT) ?? "3000";
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65_535) {
    throw new ConfigError(`PORT is invalid: ${JSON.stringify(portText)} (expected 0..65535)`);
  }
  const store = nonEmpty(env.TESSERA_STORE) ?? "memory";
  if (store !== "memory" && store !== "redis" && store !== "postgres") {
    throw new ConfigError(
      `TESSERA_STORE is invalid: ${JSON.stringify(store)} (expected memory, redis or postgres)`,
    );
  }
  const redisUrl = nonEmpty(env.REDIS_URL);
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (store === "redis" && redisUrl === undefined) {
    throw new ConfigError("TESSERA_STORE=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)");
  }
  if (store === "postgres" && databaseUrl === undefined) {
    throw new ConfigError(
      "TESSERA_STORE=postgres needs DATABASE_URL (e.g. postgres://user:pass@127.0.0.1:5432/db)",
    );
  }
  const proxy = nonEmpty(env.TRUST_PROXY);
  const trustProxy =
    proxy === undefined || proxy === "false"
      ? false
      : proxy === "true"
        ? true
        : /^\d+$/.test(proxy)
          ? Number(proxy)
          : proxy;
  return {
    port,
    secret: nonEmpty(env.TESSERA_SECRET),
    store,
    redisUrl,
    databaseUrl,
    usersFile: nonEmpty(env.DEMO_USERS_FILE),
    trustProxy,
    hsts: env.HSTS === "1" || env.HSTS === "true",
  };
}
