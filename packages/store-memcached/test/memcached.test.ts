import { StoreError } from "@tessera/store";
import { afterAll, describe, expect, it } from "vitest";
import type { MemcachedClient } from "../src/client.js";
import { indexKey } from "../src/lib/keys.js";
import { MemcachedStore } from "../src/memcached-store.js";
import { createMemjs, memcachedServers, memjsClient, uniquePrefix } from "./servers.js";

const DAY = 86_400_000;
const servers = await memcachedServers();
const raw = createMemjs(servers);
const other = createMemjs(servers);
const client = memjsClient(raw);
const prefix = uniquePrefix("memcached");

afterAll(() => {
  raw.close();
  other.close();
});

let counter = 0;
function key(): string {
  counter += 1;
  return `k${counter}${Math.random().toString(36).slice(2)}`;
}

/** Wraps a client, recording every call (name, key, exptime). */
function spied(inner: MemcachedClient) {
  const calls: Array<{ op: string; key: string; exptime?: number }> = [];
  const wrapped: MemcachedClient = {
    gets(k) {
      calls.push({ op: "gets", key: k });
      return inner.gets(k);
    },
    add(k, v, e) {
      calls.push({ op: "add", key: k, exptime: e });
      return inner.add(k, v, e);
    },
    cas(k, v, e, c) {
      calls.push({ op: "cas", key: k, exptime: e });
      return inner.cas(k, v, e, c);
    },
    delete(k, c) {
      calls.push({ op: "delete", key: k });
      return inner.delete(k, c);
    },
  };
  return { client: wrapped, calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("TTL conversion on a real server", () => {
  // Regression: connect-memcached sends maxAge/1000 unconverted, so a
  // 60-day session (5,184,000 s) is read as a 1970 Unix time and dies at once.
  it("keeps an entry expiring in 60 days readable after 2 s, sending an absolute exptime", async () => {
    const { client: spy, calls } = spied(client);
    const store = new MemcachedStore({ client: spy, prefix });
    const k = key();
    const expiresAt = Date.now() + 60 * DAY;
    expect(await store.set(k, { value: "remember me", expiresAt })).toEqual({
      ok: true,
      version: 1,
    });
    const write = calls.find((c) => c.op === "add");
    expect(write?.exptime).toBe(Math.ceil(expiresAt / 1000) + 1);
    await sleep(2100);
    expect(await store.get(k)).toEqual({ value: "remember me", expiresAt, version: 1 });
  });

  it("shows the naive relative 5,184,000 would have expired at once", async () => {
    const full = `${prefix}naive${key()}`;
    expect(await client.add(full, new TextEncoder().encode("x"), 5_184_000)).toBe("stored");
    expect(await client.gets(full)).toBeNull();
  });

  it("never returns an entry at or after expiresAt although the server keeps it a little longer", async () => {
    const store = new MemcachedStore({ client, prefix });
    const k = key();
    const expiresAt = Date.now() + 300;
    await store.set(k, { value: "short", expiresAt });
    await sleep(Math.max(0, expiresAt - Date.now()));
    expect(await client.gets(prefix + k)).not.toBeNull(); // the item is still on the server ...
    expect(await store.get(k)).toBeNull(); // ... but never returned
  });
});

describe("versioned writes with CAS on a real server", () => {
  it("lets exactly one of 25 parallel writers from the same version win, across two clients", async () => {
    const a = new MemcachedStore({ client, prefix });
    const b = new MemcachedStore({ client: memjsClient(other), prefix });
    const k = key();
    const expiresAt = Date.now() + 60_000;
    await a.set(k, { value: "base", expiresAt, userId: "cas-user" });
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        (i % 2 === 0 ? a : b).set(
          k,
          { value: `w${i}`, expiresAt, userId: "cas-user" },
          { expectVersion: 1 },
        ),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results[winners[0]!]).toEqual({ ok: true, version: 2 });
    expect((await b.get(k))?.value).toBe(`w${winners[0]}`);
  });

  it("lets 25 parallel unconditional writers all land with distinct versions 2..26", async () => {
    const store = new MemcachedStore({ client, prefix });
    const k = key();
    const expiresAt = Date.now() + 60_000;
    await store.set(k, { value: "base", expiresAt });
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.set(k, { value: `w${i}`, expiresAt })),
    );
    const versions = results.map((r) => (r.ok ? r.version : -1)).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    expect((await store.get(k))?.version).toBe(26);
  });
});

describe("item size on a real server", () => {
  it("rejects an oversized value with a typed error before any network call", async () => {
    const { client: spy, calls } = spied(client);
    const store = new MemcachedStore({ client: spy, prefix });
    const error = await store
      .set(key(), { value: "x".repeat(1_048_576), expiresAt: Date.now() + 60_000 })
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_VALUE_TOO_LARGE");
    expect(calls).toHaveLength(0);
  });

  it("stores the largest value the size check admits (the check matches the server's 1 MB limit)", async () => {
    const store = new MemcachedStore({ client, prefix });
    const k = key();
    const room = 1_048_576 - 64 - 64 - (prefix + k).length;
    const value = "y".repeat(room);
    await store.set(k, { value, expiresAt: Date.now() + 60_000 });
    expect((await store.get(k))?.value.length).toBe(room);
    await expect(
      store.set(k, { value: `${value}y`, expiresAt: Date.now() + 60_000 }),
    ).rejects.toMatchObject({
      code: "ERR_STORE_VALUE_TOO_LARGE",
    });
    await store.delete(k);
  });
});

describe("per-user index fails closed", () => {
  // Eviction fails to "no session": an evicted index item logs the user out,
  // never leaves sessions that "log out everywhere" can no longer find.
  it("treats sessions as gone once their user's index item is evicted", async () => {
    const store = new MemcachedStore({ client, prefix });
    const [k1, k2] = [key(), key()];
    const expiresAt = Date.now() + 60_000;
    await store.set(k1, { value: "a", expiresAt, userId: "evicted" });
    await store.set(k2, { value: "b", expiresAt, userId: "evicted" });
    expect(await store.listByUser("evicted")).toHaveLength(2);
    await client.delete(indexKey(prefix, "evicted")); // what LRU eviction does
    expect(await store.get(k1)).toBeNull();
    expect(await store.listByUser("evicted")).toEqual([]);
    await store.touch(k1, expiresAt + 1000);
    expect(await store.get(k1)).toBeNull(); // touch does not resurrect it
    // A fresh login builds a new index generation; the old sessions stay unbound.
    await store.set(k1, { value: "again", expiresAt, userId: "evicted" }, { expectVersion: 0 });
    expect((await store.listByUser("evicted")).map((s) => s.key)).toEqual([k1]);
    expect(await store.get(k2)).toBeNull();
  });

  it("does not let a request that loaded before deleteByUser write the session back", async () => {
    const store = new MemcachedStore({ client, prefix });
    const k = key();
    const expiresAt = Date.now() + 60_000;
    await store.set(k, { value: "logged in", expiresAt, userId: "revoked" });
    const loaded = await store.get(k);
    expect(await store.deleteByUser("revoked")).toBe(1);
    const late = await store.set(
      k,
      { value: "stale write", expiresAt, userId: "revoked" },
      { expectVersion: loaded!.version },
    );
    expect(late).toEqual({ ok: false, conflict: true });
    expect(await store.get(k)).toBeNull();
  });

  it("deleteByUser without exceptKey also revokes a session written during the call", async () => {
    const store = new MemcachedStore({ client, prefix });
    const [k1, k2] = [key(), key()];
    const expiresAt = Date.now() + 60_000;
    await store.set(k1, { value: "a", expiresAt, userId: "racer" });
    const [count] = await Promise.all([
      store.deleteByUser("racer"),
      store.set(k2, { value: "b", expiresAt, userId: "racer" }),
    ]);
    expect(count).toBeGreaterThanOrEqual(1);
    // Whichever order the server saw: k2 is either unbound (revoked) or listed, never hidden.
    const listed = (await store.listByUser("racer")).map((s) => s.key);
    const live = (await store.get(k2)) !== null;
    expect(live).toBe(listed.includes(k2));
    expect(await store.get(k1)).toBeNull();
  });
});

describe("CAS with the token of a preceding get (one round trip)", () => {
  const expiresAt = () => Date.now() + 60_000;

  /** Writes a fresh key through `store` and reads it back, so the store holds its CAS token. */
  async function readBack(store: MemcachedStore, value: string, until: number): Promise<string> {
    const k = key();
    await store.set(k, { value, expiresAt: until });
    await store.get(k);
    return k;
  }

  /** Store `a` holding the CAS token of a key it wrote and read, and `b` on another connection. */
  async function twoWriters() {
    const a = new MemcachedStore({ client, prefix });
    const b = new MemcachedStore({ client: memjsClient(other), prefix });
    return { a, b, k: await readBack(a, "v1", expiresAt()) };
  }

  it("writes after a get with a single CAS and no second read", async () => {
    const { client: spy, calls } = spied(client);
    const store = new MemcachedStore({ client: spy, prefix });
    const k = await readBack(store, "v1", expiresAt());
    calls.length = 0;
    expect(
      await store.set(k, { value: "v2", expiresAt: expiresAt() }, { expectVersion: 1 }),
    ).toEqual({
      ok: true,
      version: 2,
    });
    expect(calls.map((c) => c.op)).toEqual(["cas"]);
  });

  it("still conflicts when another writer got in between", async () => {
    const { a, b, k } = await twoWriters();
    await b.set(k, { value: "b wins", expiresAt: expiresAt() }, { expectVersion: 1 });
    expect(
      await a.set(k, { value: "stale", expiresAt: expiresAt() }, { expectVersion: 1 }),
    ).toEqual({
      ok: false,
      conflict: true,
    });
    expect((await a.get(k))?.value).toBe("b wins");
  });

  it("still writes when only a touch got in between (the version did not change)", async () => {
    const { a, b, k } = await twoWriters();
    await b.touch(k, expiresAt() + 5000);
    expect(await a.set(k, { value: "v2", expiresAt: expiresAt() }, { expectVersion: 1 })).toEqual({
      ok: true,
      version: 2,
    });
  });

  it("treats an entry that expired since the get as absent", async () => {
    const store = new MemcachedStore({ client, prefix });
    const soon = Date.now() + 200;
    const k = await readBack(store, "short", soon);
    await sleep(Math.max(0, soon - Date.now()) + 10);
    expect(
      await store.set(k, { value: "late", expiresAt: expiresAt() }, { expectVersion: 1 }),
    ).toEqual({
      ok: false,
      conflict: true,
    });
  });

  it("lets exactly one of 25 requests that all loaded version 1 win on one store object", async () => {
    const store = new MemcachedStore({ client, prefix });
    const k = key();
    await store.set(k, { value: "base", expiresAt: expiresAt() });
    const loaded = await Promise.all(Array.from({ length: 25 }, () => store.get(k)));
    const results = await Promise.all(
      loaded.map((entry, i) =>
        store.set(k, { value: `r${i}`, expiresAt: expiresAt() }, { expectVersion: entry!.version }),
      ),
    );
    expect(loaded.every((entry) => entry?.version === 1)).toBe(true);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
