import memjs from "memjs";
import { requireService } from "../../../scripts/test-env.js";
import { type MemjsClientLike, memjsClient } from "../src/clients/memjs.js";

/** The two test servers, "host:port" each; fails with a hint when they are not running. */
export async function memcachedServers(): Promise<string[]> {
  const value = await requireService("MEMCACHED_SERVERS");
  const servers = value.split(",").map((s) => s.trim());
  if (servers.length < 2) {
    throw new Error(
      `MEMCACHED_SERVERS=${value}: two servers expected (pnpm services:up memcached)`,
    );
  }
  return servers;
}

/** A memjs client with the options the README recommends for sessions. */
export function createMemjs(servers: string[]): MemjsClientLike & { close(): void } {
  return memjs.Client.create(servers.join(","), {
    timeout: 0.3,
    conntimeout: 0.5,
    retries: 1,
    keepAlive: true,
    logger: { log() {} },
  }) as unknown as MemjsClientLike & { close(): void };
}

export { memjsClient };

/** A key prefix unique to one test file and run, so runs never see each other's items. */
export function uniquePrefix(file: string): string {
  return `tessera-test:${file}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}
