import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreUnavailableError } from "@tessera/store";
import { afterAll, describe, expect, it } from "vitest";
import {
  requireService,
  serviceEnv,
  startService,
  stopService,
} from "../../../scripts/test-env.js";
import { ketamaRing } from "../src/lib/ketama.js";
import { indexKey } from "../src/lib/keys.js";
import { MemcachedStore } from "../src/memcached-store.js";
import { createMemjs, memcachedServers, memjsClient, uniquePrefix } from "./servers.js";

const servers = await memcachedServers();
const raw = createMemjs(servers);
const prefix = uniquePrefix("fault");
const TIMEOUT_MS = 1000;
const store = new MemcachedStore({ client: memjsClient(raw), prefix, timeoutMs: TIMEOUT_MS });
const ring = ketamaRing(servers);

afterAll(() => raw.close());

/** A key whose Memcached key lands on server `index` (0: memcached-1, 1: memcached-2). */
function keyOn(index: number): string {
  for (let i = 0; ; i++) {
    const k = `fault${i}x${Math.random().toString(36).slice(2)}`;
    if (ring(prefix + k) === index) return k;
  }
}

/** A user id whose index item lands on server `index`. */
function userOn(index: number): string {
  for (let i = 0; ; i++) {
    const u = `user-${i}-${Math.random().toString(36).slice(2)}`;
    if (ring(indexKey(prefix, u)) === index) return u;
  }
}

/**
 * Sends SIGSTOP and waits until every thread of `pid` is stopped. kill()
 * returns before the stop lands: a worker thread busy in user space can still
 * read and answer one more request, which made this test flaky (about 1 run
 * in 25 got its GET answered).
 */
async function freeze(pid: number): Promise<void> {
  process.kill(pid, "SIGSTOP");
  const deadline = Date.now() + 5000;
  for (;;) {
    const states = readdirSync(`/proc/${pid}/task`).map(
      (tid) => /\) (\S)/.exec(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"))?.[1],
    );
    if (states.every((s) => s === "T" || s === "t")) return;
    if (Date.now() > deadline) throw new Error(`memcached ${pid} did not stop: ${states.join("")}`);
    await sleep(1);
  }
}

async function settle(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = Date.now();
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - start };
}

describe("one of two servers down", () => {
  it("fails that server's keys with StoreUnavailableError, serves the other's, and recovers without a restart", async () => {
    const expiresAt = Date.now() + 60_000;
    const [up, down] = [keyOn(0), keyOn(1)];
    await store.set(up, { value: "on memcached-1", expiresAt });
    await store.set(down, { value: "on memcached-2", expiresAt });
    // An owned session on memcached-1 whose owner's index item is on memcached-2.
    const owned = keyOn(0);
    const owner = userOn(1);
    await store.set(owned, { value: "owned", expiresAt, userId: owner });
    try {
      stopService("memcached-2");
      const ops: Array<() => Promise<unknown>> = [
        () => store.get(down),
        () => store.set(down, { value: "x", expiresAt }),
        () => store.touch(down, expiresAt + 1000),
        () => store.delete(down),
      ];
      for (const op of ops) {
        const { error, ms } = await settle(op());
        expect(StoreUnavailableError.isInstance(error)).toBe(true);
        // The bound the option promises (plus scheduling slack), not a performance figure.
        expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
      }
      // Fail closed: without its owner's index the session cannot be vouched for.
      const { error } = await settle(store.get(owned));
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      // No failover: the other server's keys keep working and nothing moved there.
      expect((await store.get(up))?.value).toBe("on memcached-1");
      expect(await store.set(up, { value: "still", expiresAt }, { expectVersion: 1 })).toEqual({
        ok: true,
        version: 2,
      });
    } finally {
      startService("memcached-2");
      await requireService("MEMCACHED_SERVERS", { timeoutMs: 5000 });
    }
    // The same store object works again; memcached-2 restarted empty, so the
    // session there is gone (a logout), never served from another server.
    expect(await store.get(down)).toBeNull();
    expect(await store.set(down, { value: "back", expiresAt }, { expectVersion: 0 })).toEqual({
      ok: true,
      version: 1,
    });
    expect((await store.get(down))?.value).toBe("back");
    expect((await store.get(up))?.value).toBe("still");
  });

  it("times out on a server that accepts connections but never answers, then recovers", async () => {
    const expiresAt = Date.now() + 60_000;
    const hung = keyOn(1);
    await store.set(hung, { value: "frozen", expiresAt });
    const pid = Number(readFileSync(serviceEnv("MEMCACHED_2_PIDFILE"), "utf8").trim());
    expect(Number.isSafeInteger(pid) && pid > 0).toBe(true);
    try {
      await freeze(pid);
      const { error, ms } = await settle(store.get(hung));
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect((await store.get(hung))?.value).toBe("frozen");
  });
});
