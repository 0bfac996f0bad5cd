import { StoreUnavailableError } from "@tessera/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../scripts/test-env.js";
import { RedisStore } from "../src/index.js";
import {
  type ClientKind,
  connect,
  rawNodeRedis,
  type TestClient,
  uniquePrefix,
} from "./clients.js";

// Fail closed, for the driver: a stopped or stalled Redis becomes
// StoreUnavailableError within commandTimeout, nothing crashes or leaks an
// unhandled rejection, and the same store object works once Redis is back.
// Clients are configured as the README says (fail fast while offline).

const COMMAND_TIMEOUT = 1000;
// Generous: the bound is "settles, within the timeout plus scheduling slack", not a speed claim.
const SETTLE_BOUND = COMMAND_TIMEOUT + 2000;
const kinds: ClientKind[] = ["node-redis", "ioredis"];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const clients = new Map<ClientKind, TestClient>();
const stores = new Map<ClientKind, RedisStore>();
const prefix = uniquePrefix("fault");

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  for (const kind of kinds) {
    const client = await connect(kind, "standalone");
    clients.set(kind, client);
    stores.set(
      kind,
      new RedisStore({
        client: client.executor,
        prefix: prefix + kind,
        commandTimeout: COMMAND_TIMEOUT,
      }),
    );
  }
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  for (const client of clients.values()) await client.quit().catch(() => undefined);
});

async function settle(promise: Promise<unknown>) {
  const started = Date.now();
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, ms: Date.now() - started };
}

async function expectUnavailable(label: string, promise: Promise<unknown>) {
  const result = await settle(promise);
  expect(result.ok, `${label} should reject`).toBe(false);
  if (!result.ok) {
    expect(
      StoreUnavailableError.isInstance(result.error),
      `${label}: ${String(result.error)}`,
    ).toBe(true);
    expect(
      (result.error as Error).cause,
      `${label} keeps the client's error as cause`,
    ).toBeDefined();
  }
  expect(result.ms, `${label} settled after ${result.ms} ms`).toBeLessThan(SETTLE_BOUND);
}

async function untilWorking(store: RedisStore) {
  for (let i = 0; i < 100; i++) {
    try {
      await store.get("probe");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("store did not recover within 10 s after Redis came back");
}

describe("Redis stopped during a run, then restarted", () => {
  it("rejects with StoreUnavailableError while down and recovers with the same store object", async () => {
    const expiresAt = () => Date.now() + 60_000;
    for (const kind of kinds) {
      const store = stores.get(kind)!;
      expect((await store.set("before", { value: "v", expiresAt: expiresAt() })).ok).toBe(true);
    }
    try {
      stopService("redis");
      for (const kind of kinds) {
        const store = stores.get(kind)!;
        await expectUnavailable(`${kind} get`, store.get("before"));
        await expectUnavailable(
          `${kind} set`,
          store.set("during", { value: "v", expiresAt: expiresAt() }, { expectVersion: 0 }),
        );
        await expectUnavailable(`${kind} touch`, store.touch("before", expiresAt()));
        await expectUnavailable(`${kind} delete`, store.delete("before"));
        await expectUnavailable(`${kind} listByUser`, store.listByUser("u1"));
      }
    } finally {
      startService("redis");
    }
    for (const kind of kinds) {
      const store = stores.get(kind)!;
      await untilWorking(store);
      const written = await store.set("after", {
        value: kind,
        expiresAt: expiresAt(),
        userId: "u1",
      });
      expect(written.ok).toBe(true);
      expect((await store.get("after"))?.value).toBe(kind);
      expect((await store.listByUser("u1")).map((s) => s.key)).toEqual(["after"]);
      await store.delete("after");
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});

describe("a stalled Redis (CLIENT PAUSE WRITE)", () => {
  it("times out a script call within commandTimeout, then works again", async () => {
    const admin = await rawNodeRedis();
    try {
      for (const kind of kinds) {
        const store = new RedisStore({
          client: clients.get(kind)!.executor,
          prefix: prefix + kind,
          commandTimeout: 200,
        });
        await untilWorking(store);
        await store.set("slow", { value: "v", expiresAt: Date.now() + 60_000 });
        // Scripts count as writes: EVALSHA waits, HMGET does not.
        await admin.sendCommand(["CLIENT", "PAUSE", "1500", "WRITE"]);
        try {
          const result = await settle(
            store.set("slow", { value: "late", expiresAt: Date.now() + 60_000 }),
          );
          expect(result.ok).toBe(false);
          if (!result.ok) expect(StoreUnavailableError.isInstance(result.error)).toBe(true);
          expect(result.ms).toBeLessThan(200 + 2000);
        } finally {
          await admin.sendCommand(["CLIENT", "UNPAUSE"]);
        }
        // The late reply (the write may still apply: a timeout is "unknown", not "failed")
        // arrives now and must be swallowed.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await store.touch("slow", Date.now() + 60_000)).toBeUndefined();
        expect(["v", "late"]).toContain((await store.get("slow"))?.value);
        await store.delete("slow");
      }
      expect(unhandled).toEqual([]);
    } finally {
      await admin.sendCommand(["CLIENT", "UNPAUSE"]).catch(() => undefined);
      await admin.quit();
    }
  }, 30_000);
});
