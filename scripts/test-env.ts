/**
 * Connection facts of the local test services for driver tests.
 *
 * `scripts/services up` starts Redis, a Redis Cluster, Memcached, PostgreSQL and
 * MariaDB on 127.0.0.1 and writes their addresses to `.env.services` at the
 * repository root. Tests read them here. A missing or silent service is an
 * error that says how to start it: driver tests are never skipped, in CI or
 * anywhere else.
 *
 * Dependency-free on purpose (node builtins only): every package's tests can
 * import it relatively, e.g. `../../../scripts/test-env.js`.
 *
 * @example
 * ```ts
 * import { requireService, stopService, startService } from "../../../scripts/test-env.js";
 *
 * const url = await requireService("REDIS_URL"); // "redis://127.0.0.1:6390"
 * stopService("redis"); // fault test: the server goes away ...
 * startService("redis"); // ... and comes back on the same port
 * ```
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";

/** Path of `.env.services` at the repository root. */
export const servicesEnvFile: string = fileURLToPath(new URL("../.env.services", import.meta.url));

/** Path of the `scripts/services` control script. */
export const servicesScript: string = fileURLToPath(new URL("./services", import.meta.url));

/**
 * Parses `KEY=VALUE` lines; `#` comments and blank lines are ignored, a value
 * may be wrapped in single or double quotes. A missing file is an empty map.
 *
 * @example
 * ```ts
 * parseServicesEnv("# c\nREDIS_URL=redis://127.0.0.1:6390\n"); // { REDIS_URL: "redis://..." }
 * ```
 */
export function parseServicesEnv(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

/**
 * Reads `.env.services` afresh (a restarted service may have moved port).
 *
 * @example
 * ```ts
 * readServicesEnv()["MEMCACHED_SERVERS"]; // "127.0.0.1:11311,127.0.0.1:11312"
 * ```
 */
export function readServicesEnv(file: string = servicesEnvFile): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Object.create(null);
    throw error;
  }
  return parseServicesEnv(text);
}

/**
 * The `scripts/services` name that provides a variable, for the error hint.
 *
 * @example
 * ```ts
 * serviceForVariable("DATABASE_URL_PG"); // "postgres"
 * ```
 */
export function serviceForVariable(name: string): string | undefined {
  if (name.startsWith("REDIS_CLUSTER")) return "redis-cluster";
  if (name.startsWith("REDIS_")) return "redis";
  if (name.startsWith("MEMCACHED_")) return "memcached";
  if (name.startsWith("DATABASE_URL_PG") || name.startsWith("PG_")) return "postgres";
  if (name.startsWith("DATABASE_URL_MYSQL") || name.startsWith("MYSQL_")) return "mariadb";
  return undefined;
}

function startHint(name: string): string {
  const service = serviceForVariable(name);
  const command = service === undefined ? "scripts/services up" : `scripts/services up ${service}`;
  return `start the test services with "pnpm services:up" (${command})`;
}

/** Options for {@link serviceEnv}. */
export interface ServiceEnvOptions {
  /** The env file to read; default {@link servicesEnvFile}. */
  envFile?: string;
}

/**
 * A service variable: `process.env[name]` first, then `.env.services`.
 * Throws an Error that says how to start the services when it is missing.
 *
 * @example
 * ```ts
 * const url = serviceEnv("DATABASE_URL_PG"); // "postgres://tessera:tessera@127.0.0.1:54329/tessera"
 * ```
 */
export function serviceEnv(name: string, options: ServiceEnvOptions = {}): string {
  const fromProcess = process.env[name];
  if (fromProcess !== undefined && fromProcess !== "") return fromProcess;
  const value = readServicesEnv(options.envFile)[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: ${startHint(name)}`);
  }
  return value;
}

/** A TCP endpoint a service variable points at. */
export interface Endpoint {
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = {
  "redis:": 6379,
  "rediss:": 6379,
  "postgres:": 5432,
  "postgresql:": 5432,
  "mysql:": 3306,
  "mariadb:": 3306,
  "memcached:": 11211,
};

/**
 * The endpoints in a service value: a URL (`redis://127.0.0.1:6390`) or a
 * comma-separated `host:port` list (`127.0.0.1:7301,127.0.0.1:7302`).
 * Returns an empty list when the value names no endpoint.
 *
 * @example
 * ```ts
 * serviceEndpoints("127.0.0.1:11311,127.0.0.1:11312"); // [{ host: "127.0.0.1", port: 11311 }, ...]
 * ```
 */
export function serviceEndpoints(value: string): Endpoint[] {
  if (value.includes("://")) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return [];
    }
    const port = url.port === "" ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    return port === undefined || host === "" ? [] : [{ host, port }];
  }
  const out: Endpoint[] = [];
  for (const part of value.split(",")) {
    const item = part.trim();
    const colon = item.lastIndexOf(":");
    if (colon <= 0) return [];
    const host = item.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const port = Number(item.slice(colon + 1));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) return [];
    out.push({ host, port });
  }
  return out;
}

function probe({ host, port }: Endpoint, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once("connect", () => done(null));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Options for {@link requireService}. */
export interface RequireServiceOptions extends ServiceEnvOptions {
  /** How long one TCP connect may take; default 1000 ms. */
  timeoutMs?: number;
}

/**
 * {@link serviceEnv}, then checks that every endpoint in the value accepts a
 * TCP connection. Rejects with an Error saying how to start the services.
 *
 * @example
 * ```ts
 * const nodes = await requireService("REDIS_CLUSTER_NODES"); // "127.0.0.1:7301,..."
 * ```
 */
export async function requireService(
  name: string,
  options: RequireServiceOptions = {},
): Promise<string> {
  const value = serviceEnv(name, options);
  const endpoints = serviceEndpoints(value);
  if (endpoints.length === 0) {
    throw new Error(`${name}=${value} names no host:port: ${startHint(name)}`);
  }
  const timeoutMs = options.timeoutMs ?? 1000;
  const problems = await Promise.all(endpoints.map((endpoint) => probe(endpoint, timeoutMs)));
  const failed = endpoints
    .map((endpoint, i) => ({ endpoint, problem: problems[i] }))
    .filter((item) => item.problem !== null)
    .map(({ endpoint, problem }) => `${endpoint.host}:${endpoint.port} (${problem})`);
  if (failed.length > 0) {
    throw new Error(`${name}: nothing answers at ${failed.join(", ")}: ${startHint(name)}`);
  }
  return value;
}

function control(args: string[]): string {
  return execFileSync("bash", [servicesScript, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 180_000,
  });
}

/**
 * Stops one service for a fault test (`redis`, `memcached-2`, `postgres`,
 * `mariadb`, `redis-cluster-1`, ...); `.env.services` stays as it is.
 * `kill: true` sends SIGKILL (a crash) instead of a clean shutdown.
 *
 * @example
 * ```ts
 * stopService("memcached-2");
 * ```
 */
export function stopService(service: string, options: { kill?: boolean } = {}): void {
  control(options.kill === true ? ["stop", "--kill", service] : ["stop", service]);
}

/**
 * Starts a service again (a no-op when it runs) and waits until it answers.
 *
 * @example
 * ```ts
 * startService("postgres");
 * ```
 */
export function startService(service: string): void {
  control(["start", service]);
}
