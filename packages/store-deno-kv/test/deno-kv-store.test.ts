import { StoreClosedError, StoreError, StoreUnavailableError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { rejection, thrown } from "../../../scripts/outcomes.js";
import { DenoKvStore, type DenoKvStoreOptions, type KvLike } from "../src/index.js";
import { FakeKv } from "./fake-kv.js";

const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const HOUR = 3_600_000;
const later = () => Date.now() + HOUR;

function code(error: unknown): string | undefined {
  return StoreError.isInstance(error) ? error.code : undefined;
}

describe("DenoKvStore errors", () => {
  // @tessera/store/driver was built with its own copy of the error classes, so
  // a closed driver's StoreClosedError failed `instanceof` against the main entry's.
  it("rejects a closed store's calls with the StoreClosedError users import", async () => {
    const store = new DenoKvStore({ kv: new FakeKv() });
    await store.close();
    const error = await rejection(store.get("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"));
    expect(error).toBeInstanceOf(StoreClosedError);
    expect(error).toBeInstanceOf(StoreError);
  });
});

describe("DenoKvStore options", () => {
  const kv = new FakeKv();

  it("uses the documented defaults", () => {
    const store = new DenoKvStore({ kv });
    expect(store.prefix).toEqual(["tessera"]);
    expect(store.maxValueBytes).toBe(65_536);
    expect(store.timeoutMs).toBe(2000);
  });

  it.each([
    ["no options", undefined, /option options is invalid/],
    ["null", null, /option options is invalid/],
    ["no kv", {}, /option kv is invalid: undefined \(expected a Deno.Kv/],
    ["a kv without atomic()", { kv: { get() {}, getMany() {}, list() {} } }, /option kv/],
    ["a string kv", { kv: "kv" }, /option kv is invalid: "kv"/],
  ])("rejects %s with ERR_STORE_INVALID_OPTION", (_, options, message) => {
    const error = thrown(() => new DenoKvStore(options as unknown as DenoKvStoreOptions));
    expect(code(error)).toBe("ERR_STORE_INVALID_OPTION");
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ["a string", "tessera"],
    ["an empty array", []],
    ["an empty part", [""]],
    ["a control character", ["app\n"]],
    ["a non-ASCII part", ["sessions-é"]],
    ["a part of 65 characters", ["p".repeat(65)]],
    ["nine parts", Array(9).fill("p")],
    ["a number part", [1]],
  ])("rejects a prefix of %s naming the option", (_, prefix) => {
    expect(() => new DenoKvStore({ kv, prefix: prefix as string[] })).toThrow(
      /option prefix is invalid/,
    );
  });

  it.each([
    ["maxValueBytes", 0],
    ["maxValueBytes", 640_001],
    ["maxValueBytes", 1.5],
    ["maxValueBytes", Number.NaN],
    ["maxValueBytes", "65536"],
    ["timeoutMs", 0],
    ["timeoutMs", Number.POSITIVE_INFINITY],
    ["timeoutMs", -1],
  ])("rejects %s %s naming the option and the range", (name, value) => {
    expect(() => new DenoKvStore({ kv, [name]: value } as DenoKvStoreOptions)).toThrow(
      new RegExp(`option ${name} is invalid: .* \\(expected an integer from 1 to`),
    );
  });

  it("copies the prefix: changing the caller's array later moves no key", async () => {
    const fake = new FakeKv();
    const prefix = ["app", "sessions"];
    const store = new DenoKvStore({ kv: fake, prefix });
    prefix[0] = "other";
    await store.set(KEY, { value: "v", expiresAt: later() });
    expect(fake.dump().map((e) => e.key)).toEqual([["app", "sessions", "s", KEY]]);
  });
});

describe("DenoKvStore layout", () => {
  it("writes head and index entry in one commit, each with expireIn up to expiresAt", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv, prefix: ["app"] });
    const before = Date.now();
    const expiresAt = before + HOUR;
    await store.set(KEY, { value: "v", expiresAt, userId: "u1" });
    const entries = kv.dump();
    expect(entries.map((e) => e.key)).toEqual([
      ["app", "s", KEY],
      ["app", "u", "u1", KEY],
    ]);
    expect(new Set(entries.map((e) => e.versionstamp)).size).toBe(1);
    for (const { expireIn } of entries) {
      expect(expireIn).toBeGreaterThan(0);
      expect(expireIn).toBeLessThanOrEqual(HOUR);
    }
  });

  it("keeps a value above 64,000 bytes in pieces beside the head and reads it in one getMany", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv, prefix: ["app"] });
    const value = "x".repeat(65_536);
    await store.set(KEY, { value, expiresAt: later() });
    expect(kv.dump().map((e) => e.key)).toEqual([
      ["app", "s", KEY],
      ["app", "s", KEY, 1],
    ]);
    kv.calls.length = 0;
    expect((await store.get(KEY))?.value).toBe(value);
    expect(kv.calls).toEqual(["getMany"]);
  });

  it("keeps an entry whose expiresAt lies past KV's largest expireIn", async () => {
    // Regression: expireIn = expiresAt - now was passed as is, and KV refuses a deadline past
    // its largest date, so a valid far-future expiresAt failed as an outage.
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv });
    const far = Number.MAX_SAFE_INTEGER;
    expect(await store.set(KEY, { value: "v", expiresAt: far, userId: "u1" })).toEqual({
      ok: true,
      version: 1,
    });
    expect(await store.get(KEY)).toEqual({ value: "v", expiresAt: far, userId: "u1", version: 1 });
    await store.touch(KEY, far - 1);
    expect((await store.get(KEY))?.expiresAt).toBe(far - 1);
    // Such entries get no expireIn at all: KV must never delete a live entry early.
    expect(kv.dump().map((e) => e.expireIn)).toEqual([undefined, undefined]);
  });

  it("keeps a leading U+FEFF (TextDecoder drops a BOM unless told not to)", async () => {
    const store = new DenoKvStore({ kv: new FakeKv() });
    await store.set(KEY, { value: "\ufeffdata", expiresAt: later() });
    expect((await store.get(KEY))?.value).toBe("\ufeffdata");
  });
});

describe("DenoKvStore round trips", () => {
  it("commits the write after a load on the versionstamp it saw, without reading again", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv });
    await store.set(KEY, { value: "v1", expiresAt: later(), userId: "u1" });
    const loaded = await store.get(KEY);
    kv.calls.length = 0;
    const result = await store.set(
      KEY,
      { value: "v2", expiresAt: later(), userId: "u1" },
      { expectVersion: loaded?.version },
    );
    expect(result).toEqual({ ok: true, version: 2 });
    expect(kv.calls).toEqual(["atomic"]);
    // The write's own versionstamp is remembered too: a second write needs no read either.
    kv.calls.length = 0;
    expect(await store.set(KEY, { value: "v3", expiresAt: later() }, { expectVersion: 2 })).toEqual(
      {
        ok: true,
        version: 3,
      },
    );
    expect(kv.calls).toEqual(["atomic"]);
  });

  it("reads again when what it saw went stale, so another process's write is never lost", async () => {
    const kv = new FakeKv();
    const mine = new DenoKvStore({ kv });
    const theirs = new DenoKvStore({ kv });
    await mine.set(KEY, { value: "base", expiresAt: later() });
    await mine.get(KEY); // remembers version 1
    await theirs.set(KEY, { value: "theirs", expiresAt: later() }, { expectVersion: 1 });
    expect(
      await mine.set(KEY, { value: "mine", expiresAt: later() }, { expectVersion: 1 }),
    ).toEqual({
      ok: false,
      conflict: true,
    });
    await mine.get(KEY);
    await theirs.set(KEY, { value: "theirs again", expiresAt: later() });
    // Remembered version 2 is stale (now 3): an unconditional write still counts from 3.
    expect(await mine.set(KEY, { value: "mine", expiresAt: later() })).toEqual({
      ok: true,
      version: 4,
    });
    // A version learned elsewhere wins over a stale memory: it is checked by a fresh read.
    await mine.get(KEY);
    await theirs.set(KEY, { value: "theirs", expiresAt: later() });
    expect(await mine.set(KEY, { value: "ok", expiresAt: later() }, { expectVersion: 5 })).toEqual({
      ok: true,
      version: 6,
    });
    expect((await theirs.get(KEY))?.value).toBe("ok");
  });
});

describe("DenoKvStore bad input", () => {
  it("refuses a value above maxValueBytes with ERR_STORE_VALUE_TOO_LARGE before any KV call", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv, maxValueBytes: 1000 });
    const error = await rejection(store.set(KEY, { value: "é".repeat(501), expiresAt: later() }));
    expect(code(error)).toBe("ERR_STORE_VALUE_TOO_LARGE");
    expect(kv.calls).toEqual([]);
    await expect(store.set(KEY, { value: "é".repeat(500), expiresAt: later() })).resolves.toEqual({
      ok: true,
      version: 1,
    });
  });

  it("accepts exactly 65,536 UTF-8 bytes by default and refuses one more", async () => {
    const store = new DenoKvStore({ kv: new FakeKv() });
    await expect(
      store.set(KEY, { value: "a".repeat(65_536), expiresAt: later() }),
    ).resolves.toEqual({ ok: true, version: 1 });
    const error = await rejection(
      store.set(KEY, { value: "a".repeat(65_537), expiresAt: later() }),
    );
    expect(code(error)).toBe("ERR_STORE_VALUE_TOO_LARGE");
  });

  it("rejects bad keys, user ids and exceptKey before any KV call", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv });
    expect(code(await rejection(store.get("a b")))).toBe("ERR_STORE_INVALID_KEY");
    expect(code(await rejection(store.delete("")))).toBe("ERR_STORE_INVALID_KEY");
    expect(code(await rejection(store.listByUser("")))).toBe("ERR_STORE_INVALID_USER_ID");
    expect(code(await rejection(store.deleteByUser("u1", { exceptKey: "x\r\ny" })))).toBe(
      "ERR_STORE_INVALID_KEY",
    );
    expect(kv.calls).toEqual([]);
  });
});

describe("DenoKvStore over a failing KV", () => {
  const boom = new TypeError("Bad resource ID");
  const failing = (override: Partial<KvLike>): KvLike => {
    const kv = new FakeKv();
    return {
      get: override.get ?? ((key) => kv.get(key)),
      getMany: override.getMany ?? ((keys) => kv.getMany(keys)),
      list: override.list ?? ((selector) => kv.list(selector)),
      atomic: override.atomic ?? (() => kv.atomic()),
    };
  };
  const calls: Array<[string, (store: DenoKvStore) => Promise<unknown>]> = [
    ["get", (s) => s.get(KEY)],
    ["set", (s) => s.set(KEY, { value: "v", expiresAt: later(), userId: "u1" })],
    ["touch", (s) => s.touch(KEY, later())],
    ["delete", (s) => s.delete(KEY)],
    ["listByUser", (s) => s.listByUser("u1")],
    ["deleteByUser", (s) => s.deleteByUser("u1")],
  ];

  it.each(calls)(
    "%s: a KV that rejects gives StoreUnavailableError with the cause",
    async (_, call) => {
      const kv = failing({
        get: () => Promise.reject(boom),
        getMany: () => Promise.reject(boom),
        list: () => ({
          // biome-ignore lint/correctness/useYield: an iterator that fails before its first entry
          async *[Symbol.asyncIterator]() {
            throw boom;
          },
        }),
      });
      const error = await rejection(call(new DenoKvStore({ kv })));
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(boom);
    },
  );

  it.each(calls)(
    "%s: a KV that throws synchronously gives StoreUnavailableError",
    async (_, call) => {
      const thrower = () => {
        throw boom;
      };
      const kv = failing({ get: thrower, getMany: thrower, list: thrower });
      const error = await rejection(call(new DenoKvStore({ kv })));
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(boom);
    },
  );

  it("a failing commit gives StoreUnavailableError and a failing atomic() too", async () => {
    for (const kv of [
      failing({
        atomic: () => {
          throw boom;
        },
      }),
      failing({
        atomic: () => {
          const op = new FakeKv().atomic();
          op.commit = () => Promise.reject(boom);
          return op;
        },
      }),
    ]) {
      const error = await rejection(
        new DenoKvStore({ kv }).set(KEY, { value: "v", expiresAt: later() }),
      );
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(boom);
    }
  });

  it("a KV that never answers gives StoreUnavailableError after timeoutMs", async () => {
    const kv = failing({ getMany: () => new Promise(() => {}) });
    const store = new DenoKvStore({ kv, timeoutMs: 20 });
    const error = await rejection(store.get(KEY));
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/timed out after 20 ms/);
  });
});

describe("DenoKvStore with values it did not write", () => {
  const head = (fields: Record<string, unknown>) => ({
    tessera: 1,
    version: 1,
    expiresAt: later(),
    pieces: 1,
    data: new TextEncoder().encode("v"),
    ...fields,
  });
  const garbage: Array<[string, unknown]> = [
    ["a string", "not a session"],
    ["a number", 42],
    ["an array", [1, 2]],
    ["an object without the format marker", { value: "v", expiresAt: later(), version: 1 }],
    ["another format version", head({ tessera: 2 })],
    ["version 0", head({ version: 0 })],
    ["a string version", head({ version: "1" })],
    ["a fractional expiresAt", head({ expiresAt: later() + 0.5 })],
    ["a string expiresAt", head({ expiresAt: String(later()) })],
    ["zero pieces", head({ pieces: 0 })],
    ["eleven pieces", head({ pieces: 11 })],
    ["data as a string", head({ data: "v" })],
    ["an empty userId", head({ userId: "" })],
    ["a numeric userId", head({ userId: 7 })],
    ["bytes that are not UTF-8", head({ data: new Uint8Array([0xff, 0xfe]) })],
    ["a missing second piece", head({ pieces: 2 })],
  ];

  /** A KV holding `value` where the session of KEY belongs, and a store over it. */
  const holding = (value: unknown) => {
    const kv = new FakeKv();
    kv.put(["tessera", "s", KEY], value);
    return { kv, store: new DenoKvStore({ kv }) };
  };

  // Heads that decode, with a value that does not: set reads only the head and may replace it.
  const brokenValue = new Set(["bytes that are not UTF-8", "a missing second piece"]);

  it.each(garbage)(
    "%s: get and touch reject with ERR_STORE_BACKEND and keep it",
    async (_, value) => {
      const { kv, store } = holding(value);
      const before = kv.dump();
      expect(code(await rejection(store.get(KEY)))).toBe("ERR_STORE_BACKEND");
      expect(code(await rejection(store.touch(KEY, later())))).toBe("ERR_STORE_BACKEND");
      expect(kv.dump()).toEqual(before);
    },
  );

  it.each(garbage.filter(([name]) => !brokenValue.has(name)))(
    "%s: set rejects with ERR_STORE_BACKEND, also create-only, and keeps it",
    async (_, value) => {
      const { kv, store } = holding(value);
      const before = kv.dump();
      for (const options of [undefined, { expectVersion: 0 }, { expectVersion: 1 }]) {
        const error = await rejection(store.set(KEY, { value: "v", expiresAt: later() }, options));
        expect(code(error)).toBe("ERR_STORE_BACKEND");
      }
      expect(kv.dump()).toEqual(before);
    },
  );

  it.each(garbage.filter(([name]) => brokenValue.has(name)))(
    "%s: an unconditional set replaces it",
    async (_, value) => {
      const { store } = holding(value);
      expect(await store.set(KEY, { value: "new", expiresAt: later() })).toEqual({
        ok: true,
        version: 2,
      });
      expect((await store.get(KEY))?.value).toBe("new");
    },
  );

  it.each(garbage)("%s: delete removes it", async (_, value) => {
    const { kv, store } = holding(value);
    // A head that does not decode gives no piece count: every possible piece goes.
    if (!brokenValue.has(_)) kv.put(["tessera", "s", KEY, 1], new Uint8Array([1]));
    await store.delete(KEY);
    expect(kv.dump()).toEqual([]);
    await expect(store.get(KEY)).resolves.toBeNull();
  });

  it.each(garbage)(
    "%s: listByUser leaves it out and deleteByUser neither counts nor deletes it",
    async (_, value) => {
      const { kv, store } = holding(value);
      kv.put(["tessera", "u", "u1", KEY], later());
      await store.set("live", { value: "mine", expiresAt: later(), userId: "u1" });
      expect((await store.listByUser("u1")).map((s) => s.key)).toEqual(["live"]);
      expect(await store.deleteByUser("u1")).toBe(1);
      expect(kv.dump().map((e) => e.key)).toContainEqual(["tessera", "s", KEY]);
    },
  );

  it("a second piece from another commit is refused, not spliced into the value", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv });
    await store.set(KEY, { value: "a".repeat(65_000), expiresAt: later() });
    kv.put(["tessera", "s", KEY, 1], new TextEncoder().encode("b".repeat(1000)));
    expect(code(await rejection(store.get(KEY)))).toBe("ERR_STORE_BACKEND");
  });

  it("index entries of another shape are skipped; one whose session is gone is cleared", async () => {
    const kv = new FakeKv();
    const store = new DenoKvStore({ kv });
    kv.put(["tessera", "u", "u1", "not a key"], 1);
    kv.put(["tessera", "u", "u1", KEY, "deeper"], 1);
    kv.put(["tessera", "u", "u1", 42], 1);
    kv.put(["tessera", "u", "u1", "gone"], later());
    expect(await store.listByUser("u1")).toEqual([]);
    expect(await store.deleteByUser("u1")).toBe(0);
    expect(kv.dump().map((e) => e.key)).not.toContainEqual(["tessera", "u", "u1", "gone"]);
  });
});
