import type { Server } from "node:http";
import { afterEach } from "vitest";
import { close, listen } from "../../../scripts/http-test-kit.js";

/** The servers one test file starts; see {@link serversPerTest}. */
export interface TestServers {
  /** Listens on 127.0.0.1 port 0 and resolves the base URL; closed after the test. */
  listen(server: Server): Promise<string>;
  /** Closes `server` (already listening) after the test; returns it. */
  add(server: Server): Server;
}

/**
 * Servers closed after each test of the calling file, so a failed assertion
 * never leaves one listening. Call it once at the top of a test file.
 *
 * @example
 * ```ts
 * const servers = serversPerTest();
 * const base = await servers.listen(createServer(app.callback()));
 * ```
 */
export function serversPerTest(): TestServers {
  const open: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(close));
  });
  return {
    listen(server) {
      open.push(server);
      return listen(server);
    },
    add(server) {
      open.push(server);
      return server;
    },
  };
}
