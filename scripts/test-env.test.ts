import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  parseServicesEnv,
  readServicesEnv,
  requireService,
  serviceEndpoints,
  serviceEnv,
  serviceForVariable,
  servicesScript,
} from "./test-env.js";

let dir: string;
let envFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-test-env-"));
  envFile = join(dir, ".env.services");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

function useEnvFile(text: string): { envFile: string } {
  writeFileSync(envFile, text);
  return { envFile };
}

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.end());
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

describe("parseServicesEnv", () => {
  it.each([
    ["REDIS_URL=redis://127.0.0.1:6390", { REDIS_URL: "redis://127.0.0.1:6390" }],
    ["# comment\n\nA=1\r\nB=2\n", { A: "1", B: "2" }],
    ["URL=postgres://u:p@h:1/db?x=y", { URL: "postgres://u:p@h:1/db?x=y" }],
    ["Q=\"quoted value\"\nS='single'", { Q: "quoted value", S: "single" }],
    ["  SPACED = value  ", { SPACED: "value" }],
    ["=novalue\nnoequals\n", {}],
    ["DUP=1\nDUP=2", { DUP: "2" }],
  ])("parses %j", (text, expected) => {
    expect({ ...parseServicesEnv(text) }).toEqual(expected);
  });
});

describe("serviceForVariable", () => {
  it.each([
    ["REDIS_URL", "redis"],
    ["REDIS_PIDFILE", "redis"],
    ["REDIS_CLUSTER_NODES", "redis-cluster"],
    ["MEMCACHED_SERVERS", "memcached"],
    ["DATABASE_URL_PG", "postgres"],
    ["PG_PORT", "postgres"],
    ["DATABASE_URL_MYSQL", "mariadb"],
    ["MYSQL_PIDFILE", "mariadb"],
    ["SOMETHING_ELSE", undefined],
  ])("%s comes from %s", (name, service) => {
    expect(serviceForVariable(name)).toBe(service);
  });
});

describe("serviceEndpoints", () => {
  it.each([
    ["redis://127.0.0.1:6390", [{ host: "127.0.0.1", port: 6390 }]],
    ["redis://127.0.0.1", [{ host: "127.0.0.1", port: 6379 }]],
    ["postgres://tessera:tessera@127.0.0.1:54329/tessera", [{ host: "127.0.0.1", port: 54329 }]],
    ["mysql://tessera:tessera@127.0.0.1/tessera", [{ host: "127.0.0.1", port: 3306 }]],
    ["redis://[::1]:6390", [{ host: "::1", port: 6390 }]],
    [
      "127.0.0.1:11311,127.0.0.1:11312",
      [
        { host: "127.0.0.1", port: 11311 },
        { host: "127.0.0.1", port: 11312 },
      ],
    ],
    ["unknown://127.0.0.1", []],
    ["/path/to/pidfile", []],
    ["127.0.0.1:notaport", []],
    ["127.0.0.1:70000", []],
  ])("%s", (value, expected) => {
    expect(serviceEndpoints(value)).toEqual(expected);
  });
});

describe("serviceEnv", () => {
  it("prefers the process environment", () => {
    const file = useEnvFile("REDIS_URL=redis://127.0.0.1:1\n");
    vi.stubEnv("REDIS_URL", "redis://127.0.0.1:2");
    expect(serviceEnv("REDIS_URL", file)).toBe("redis://127.0.0.1:2");
  });

  it("falls back to the env file", () => {
    const file = useEnvFile("# scripts/services\nDATABASE_URL_PG=postgres://a@127.0.0.1:3/db\n");
    vi.stubEnv("DATABASE_URL_PG", "");
    expect(serviceEnv("DATABASE_URL_PG", file)).toBe("postgres://a@127.0.0.1:3/db");
  });

  it("reads the file afresh on every call", () => {
    const file = useEnvFile("MEMCACHED_SERVERS=127.0.0.1:1\n");
    vi.stubEnv("MEMCACHED_SERVERS", "");
    expect(serviceEnv("MEMCACHED_SERVERS", file)).toBe("127.0.0.1:1");
    writeFileSync(envFile, "MEMCACHED_SERVERS=127.0.0.1:2\n");
    expect(serviceEnv("MEMCACHED_SERVERS", file)).toBe("127.0.0.1:2");
  });

  it("throws an error that says how to start the service", () => {
    const file = useEnvFile("OTHER=1\n");
    vi.stubEnv("REDIS_CLUSTER_NODES", "");
    expect(() => serviceEnv("REDIS_CLUSTER_NODES", file)).toThrow(
      'REDIS_CLUSTER_NODES is not set: start the test services with "pnpm services:up" (scripts/services up redis-cluster)',
    );
  });

  it("treats a missing env file as empty", () => {
    const missing = join(dir, "does-not-exist");
    expect({ ...readServicesEnv(missing) }).toEqual({});
    vi.stubEnv("MYSQL_PORT", "");
    expect(() => serviceEnv("MYSQL_PORT", { envFile: missing })).toThrow(
      /MYSQL_PORT is not set: .*services up mariadb/,
    );
  });
});

describe("requireService", () => {
  it("returns the value when every endpoint accepts a connection", async () => {
    const a = await listen();
    const b = await listen();
    try {
      const value = `127.0.0.1:${portOf(a)},127.0.0.1:${portOf(b)}`;
      const file = useEnvFile(`MEMCACHED_SERVERS=${value}\n`);
      vi.stubEnv("MEMCACHED_SERVERS", "");
      await expect(requireService("MEMCACHED_SERVERS", file)).resolves.toBe(value);
    } finally {
      a.close();
      b.close();
    }
  });

  it("rejects, naming the silent endpoint, when a server is down", async () => {
    const up = await listen();
    const down = await listen();
    const downPort = portOf(down);
    await new Promise((resolve) => down.close(resolve));
    try {
      vi.stubEnv("MEMCACHED_SERVERS", `127.0.0.1:${portOf(up)},127.0.0.1:${downPort}`);
      const error = await requireService("MEMCACHED_SERVERS").then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(
        `MEMCACHED_SERVERS: nothing answers at 127.0.0.1:${downPort} (ECONNREFUSED): ` +
          'start the test services with "pnpm services:up" (scripts/services up memcached)',
      );
    } finally {
      up.close();
    }
  });

  it("rejects a value without an endpoint", async () => {
    vi.stubEnv("REDIS_PIDFILE", "/somewhere/redis.pid");
    await expect(requireService("REDIS_PIDFILE")).rejects.toThrow(/names no host:port/);
  });

  it("rejects a missing variable with the start hint", async () => {
    const file = useEnvFile("");
    vi.stubEnv("DATABASE_URL_PG", "");
    await expect(requireService("DATABASE_URL_PG", file)).rejects.toThrow(
      /DATABASE_URL_PG is not set: start the test services with "pnpm services:up"/,
    );
  });
});

describe("scripts/services", () => {
  it("is valid bash", () => {
    expect(spawnSync("bash", ["-n", servicesScript]).status).toBe(0);
  });

  it("prints its usage", () => {
    const out = execFileSync("bash", [servicesScript, "help"], { encoding: "utf8" });
    for (const command of ["up", "stop", "down", "status"]) expect(out).toContain(`  ${command} `);
  });

  it("refuses an unknown service before touching anything", () => {
    const result = spawnSync("bash", [servicesScript, "stop", "nosuchservice"], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown service 'nosuchservice'");
  });
});
