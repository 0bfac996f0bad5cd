import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../scripts/test-env.js";
import { RedisStore } from "../src/index.js";
import {
  CLIENT_KINDS,
  type ClientKind,
  rawNodeRedis,
  suiteClient,
  uniquePrefix,
} from "./clients.js";
import { expectUnavailable } from "./helpers.js";

// Fail closed, for the driver: a stopped or stalled Redis becomes
// StoreUnavailableError within commandTimeout, nothing crashes or leaks an
// unhandled rejection, and the same store object works once Redis is back.
// Clients are configured as the README says (fail fast while offline).

const COMMAND_TIMEOUT = 1000;
const OUTAGE = { commandTimeout: COMMAND_TIMEOUT, cause: true };

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const clients = new Map(
  CLIENT_KINDS.map((kind) => [kind, suiteClient(kind, "standalone")] as const),
);
const stores = new Map<ClientKind, RedisStore>();
const prefix = uniquePrefix("fault");

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
  for (const [kind, client] of clients) {
    stores.set(
      kind,
      new RedisStore({
        client: client().executor,
        prefix: prefix + kind,
        commandTimeout: COMMAND_TIMEOUT,
      }),
    );
  }
});

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

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
    for (const kind of CLIENT_KINDS) {
      const store = stores.get(kind)!;
      expect((await store.set("before", { value: "v", expiresAt: expiresAt() })).ok).toBe(true);
    }
    try {
      stopService("redis");
      for (const kind of CLIENT_KINDS) {
        const store = stores.get(kind)!;
        await expectUnavailable(`${kind} get`, store.get("before"), OUTAGE);
        await expectUnavailable(
          `${kind} set`,
          store.set("during", { value: "v", expiresAt: expiresAt() }, { expectVersion: 0 }),
          OUTAGE,
        );
        await expectUnavailable(`${kind} touch`, store.touch("before", expiresAt()), OUTAGE);
        await expectUnavailable(`${kind} delete`, store.delete("before"), OUTAGE);
        await expectUnavailable(`${kind} listByUser`, store.listByUser("u1"), OUTAGE);
      }
    } finally {
      startService("redis");
    }
    for (const kind of CLIENT_KINDS) {
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
      for (const kind of CLIENT_KINDS) {
        const store = new RedisStore({
          client: clients.get(kind)!().executor,
          prefix: prefix + kind,
          commandTimeout: 200,
        });
        await untilWorking(store);
        await store.set("slow", { value: "v", expiresAt: Date.now() + 60_000 });
        // Scripts count as writes: EVALSHA waits, HMGET does not.
        await admin.sendCommand(["CLIENT", "PAUSE", "1500", "WRITE"]);
        try {
          await expectUnavailable(
            `${kind} set while paused`,
            store.set("slow", { value: "late", expiresAt: Date.now() + 60_000 }),
            { commandTimeout: 200 },
          );
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
