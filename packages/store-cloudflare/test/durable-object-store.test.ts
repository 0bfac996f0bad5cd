import { StoreError, StoreUnavailableError } from "@tessera/store";
import { describeStore } from "@tessera/store/conformance/vitest";
import { describe, expect, it } from "vitest";
import { rejection, thrown } from "../../../scripts/outcomes.js";
import {
  type DurableObjectNamespaceLike,
  DurableObjectStore,
  type DurableObjectStoreOptions,
  SessionStoreObject,
} from "../src/index.js";
import { FakeNamespace, FakeStorage } from "./fake-namespace.js";

const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const later = () => Date.now() + 3_600_000;

const code = (error: unknown) => (StoreError.isInstance(error) ? error.code : String(error));

/** A namespace whose one stub answers every request with `answer`. */
function answering(answer: () => Promise<Response>): DurableObjectNamespaceLike {
  return { idFromName: (name) => ({ toString: () => name }), get: () => ({ fetch: answer }) };
}

// The logic on Node, against in-memory object storage; the proof on workerd
// (real storage, alarms, stubs) is test/workerd.test.ts.
describeStore("DurableObjectStore on in-memory object storage", () => {
  return new DurableObjectStore({ namespace: new FakeNamespace(), shards: 4 });
});

describe("DurableObjectStore options", () => {
  const namespace = new FakeNamespace();

  it("uses the documented defaults", () => {
    const store = new DurableObjectStore({ namespace });
    expect([store.name, store.shards, store.maxValueBytes, store.timeoutMs]).toEqual([
      "tessera-sessions",
      16,
      65_536,
      5000,
    ]);
  });

  it.each([
    ["no options", undefined, /option options is invalid/],
    ["no namespace", {}, /option namespace is invalid: undefined \(expected the Durable Object/],
    ["a namespace without get()", { namespace: { idFromName() {} } }, /option namespace/],
    ["a name with a newline", { namespace, name: "a\nb" }, /option name is invalid/],
    ["an empty name", { namespace, name: "" }, /option name is invalid/],
    [
      "0 shards",
      { namespace, shards: 0 },
      /option shards is invalid: 0 \(expected an integer from 1 to 32\)/,
    ],
    ["33 shards", { namespace, shards: 33 }, /option shards is invalid: 33/],
    ["1.5 shards", { namespace, shards: 1.5 }, /option shards is invalid: 1.5/],
    [
      "maxValueBytes above 1,000,000",
      { namespace, maxValueBytes: 1_000_001 },
      /option maxValueBytes/,
    ],
    ["timeoutMs 0", { namespace, timeoutMs: 0 }, /option timeoutMs is invalid: 0/],
    ["a now that is not a function", { namespace, now: 5 }, /option now is invalid/],
  ])("rejects %s with ERR_STORE_INVALID_OPTION naming it", (_, options, message) => {
    const error = thrown(
      () => new DurableObjectStore(options as unknown as DurableObjectStoreOptions),
    );
    expect(code(error)).toBe("ERR_STORE_INVALID_OPTION");
    expect((error as Error).message).toMatch(message);
  });

  it("refuses a value above maxValueBytes before any request", async () => {
    const ns = new FakeNamespace();
    const store = new DurableObjectStore({ namespace: ns, maxValueBytes: 10 });
    const error = await rejection(store.set(KEY, { value: "é".repeat(6), expiresAt: later() }));
    expect(code(error)).toBe("ERR_STORE_VALUE_TOO_LARGE");
    expect(ns.requests).toBe(0);
  });
});

describe("DurableObjectStore layout and round trips", () => {
  it("one request per get, set, touch and delete; listByUser and deleteByUser ask every shard once", async () => {
    const ns = new FakeNamespace();
    const store = new DurableObjectStore({ namespace: ns, shards: 5 });
    const count = async (run: () => Promise<unknown>) => {
      const before = ns.requests;
      await run();
      return ns.requests - before;
    };
    expect(await count(() => store.set(KEY, { value: "v", expiresAt: later(), userId: "u" }))).toBe(
      1,
    );
    expect(await count(() => store.get(KEY))).toBe(1);
    expect(
      await count(() => store.set(KEY, { value: "w", expiresAt: later() }, { expectVersion: 1 })),
    ).toBe(1);
    expect(await count(() => store.touch(KEY, later()))).toBe(1);
    expect(await count(() => store.listByUser("u"))).toBe(5);
    expect(await count(() => store.deleteByUser("u"))).toBe(5);
    expect(await count(() => store.delete(KEY))).toBe(1);
  });

  it("spreads keys over the shards by hash and names objects <name>:<shard>", async () => {
    const ns = new FakeNamespace();
    const store = new DurableObjectStore({ namespace: ns, name: "app", shards: 4 });
    for (let i = 0; i < 40; i++) await store.set(`k${i}`, { value: "v", expiresAt: later() });
    expect([...ns.objects.keys()].sort()).toEqual(["app:0", "app:1", "app:2", "app:3"]);
  });

  it("keeps user ids that are prefixes of each other apart in the index", async () => {
    // The index key starts with the user id's length, so "a" never lists "a:b"'s sessions.
    const store = new DurableObjectStore({ namespace: new FakeNamespace(), shards: 1 });
    await store.set("k1", { value: "1", expiresAt: later(), userId: "a" });
    await store.set("k2", { value: "2", expiresAt: later(), userId: "a:b" });
    await store.set("k3", { value: "3", expiresAt: later(), userId: "a:" });
    expect((await store.listByUser("a")).map((s) => s.key)).toEqual(["k1"]);
    expect(await store.deleteByUser("a")).toBe(1);
    expect((await store.listByUser("a:b")).map((s) => s.key)).toEqual(["k2"]);
    expect((await store.listByUser("a:")).map((s) => s.key)).toEqual(["k3"]);
  });

  it("leaves nothing in storage after delete and deleteByUser, and schedules an alarm at the first expiry", async () => {
    const ns = new FakeNamespace();
    const store = new DurableObjectStore({ namespace: ns, shards: 1 });
    const expiresAt = later();
    await store.set(KEY, { value: "v", expiresAt, userId: "u" });
    await store.set("other", { value: "v", expiresAt: expiresAt + 5, userId: "u" });
    const { storage } = ns.objects.get("tessera-sessions:0") ?? {};
    expect(storage?.data.size).toBe(6);
    expect(storage?.alarm).toBe(expiresAt);
    await store.delete(KEY);
    expect(storage?.data.size).toBe(3);
    await store.deleteByUser("u");
    expect([...(storage?.data.keys() ?? [])]).toEqual([]);
  });
});

describe("SessionStoreObject", () => {
  const call = (object: SessionStoreObject, op: string, body: unknown) =>
    object.fetch(
      new Request(`https://tessera-session-store.invalid/v1/${op}`, {
        method: "POST",
        body: JSON.stringify(body),
      }),
    );

  it("answers a request outside the protocol with 400 and a StoreError code, never a crash", async () => {
    const object = new SessionStoreObject({ storage: new FakeStorage() });
    for (const [op, body] of [
      ["nope", { now: 1 }],
      ["get", "not an object"],
      ["get", { key: KEY }],
      ["get", { key: "a b", now: 1 }],
      ["set", { key: KEY, value: 5, expiresAt: 1, now: 1 }],
    ] as const) {
      const response = await call(object, op, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toMatch(/^ERR_STORE_INVALID_/);
    }
  });

  it("reclaims expired sessions in its alarm and reschedules for the next expiry", async () => {
    const storage = new FakeStorage();
    const object = new SessionStoreObject({ storage });
    const now = Date.now();
    await call(object, "set", { key: "gone", value: "v", expiresAt: now + 1, userId: "u", now });
    await call(object, "set", {
      key: "kept",
      value: "v",
      expiresAt: now + 60_000,
      userId: "u",
      now,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await object.alarm();
    expect([...storage.data.keys()].filter((k) => k.endsWith(":gone"))).toEqual([]);
    expect([...storage.data.keys()].filter((k) => k.endsWith(":kept"))).toHaveLength(3);
    expect(storage.alarm).toBe(now + 60_000);
  });

  it("answers a record it did not write with ERR_STORE_BACKEND, and delete removes it", async () => {
    const storage = new FakeStorage();
    await storage.put({ [`s:${KEY}`]: "foreign" });
    const namespace: DurableObjectNamespaceLike = {
      idFromName: (name) => ({ toString: () => name }),
      get: () => ({ fetch: (request) => new SessionStoreObject({ storage }).fetch(request) }),
    };
    const store = new DurableObjectStore({ namespace, shards: 1 });
    expect(code(await rejection(store.get(KEY)))).toBe("ERR_STORE_BACKEND");
    await store.delete(KEY);
    expect(await store.get(KEY)).toBeNull();
  });
});

describe("DurableObjectStore faults: StoreUnavailableError, never no session", () => {
  it("a rejected stub fetch (the object threw, was reset or cannot be reached)", async () => {
    const cause = Object.assign(new Error("Durable Object reset because its code was updated."), {
      retryable: true,
    });
    const store = new DurableObjectStore({ namespace: answering(() => Promise.reject(cause)) });
    for (const run of [
      () => store.get(KEY),
      () => store.set(KEY, { value: "v", expiresAt: later() }),
      () => store.touch(KEY, later()),
      () => store.delete(KEY),
      () => store.listByUser("u"),
      () => store.deleteByUser("u"),
    ]) {
      const error = await rejection(run());
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(cause);
    }
  });

  it("a stub that never answers rejects after timeoutMs", async () => {
    const store = new DurableObjectStore({
      namespace: answering(() => new Promise<Response>(() => undefined)),
      timeoutMs: 20,
    });
    const error = await rejection(store.get(KEY));
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/timed out after 20 ms/);
  });

  it("an overloaded object's 503 or an error page", async () => {
    for (const response of [
      () => new Response("Durable Object is overloaded", { status: 503 }),
      () => new Response("<html>error</html>", { status: 500 }),
      () => Response.json({ unexpected: true }, { status: 500 }),
    ]) {
      const store = new DurableObjectStore({ namespace: answering(async () => response()) });
      expect(StoreUnavailableError.isInstance(await rejection(store.get(KEY)))).toBe(true);
    }
  });

  it("a 200 that is not an answer of this store is a backend error, not null", async () => {
    for (const body of [{ result: "a string" }, { result: { value: 1 } }, { result: [1] }]) {
      const store = new DurableObjectStore({
        namespace: answering(async () => Response.json(body)),
      });
      expect(code(await rejection(store.get(KEY)))).toBe("ERR_STORE_BACKEND");
    }
  });

  it("after close() every call rejects with StoreClosedError before any request", async () => {
    const ns = new FakeNamespace();
    const store = new DurableObjectStore({ namespace: ns });
    await store.close();
    expect(code(await rejection(store.get(KEY)))).toBe("ERR_STORE_CLOSED");
    expect(ns.requests).toBe(0);
  });
});
