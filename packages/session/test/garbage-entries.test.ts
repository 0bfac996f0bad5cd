/**
 * A custom store that answers something other than a contract entry (a
 * value that is not a string, a deadline that is not an integer, a version
 * that is not a positive integer, or no object at all) must never crash
 * `load` or switch a timeout off: the entry is `malformed`, the request gets
 * a new session, and nothing is thrown. Revocation stores answering garbage
 * fail closed.
 */
import { MemoryStore, type SessionStore, type StoreEntry } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { clock, expectEvent, HOUR, MIN, SEC, setup } from "./helpers.js";

/** How a broken store bends the real entry it holds. */
type Bend = (entry: StoreEntry) => unknown;

/** Wraps `inner` so `get` passes live entries through `bend` while it is set. */
function bendingStore(inner: SessionStore) {
  const state: { bend: Bend | undefined } = { bend: undefined };
  const store: SessionStore = {
    async get(key) {
      const entry = await inner.get(key);
      if (entry === null || state.bend === undefined) return entry;
      return state.bend(entry) as StoreEntry;
    },
    set: (key, entry, options) => inner.set(key, entry, options),
    touch: (key, expiresAt) => inner.touch(key, expiresAt),
    delete: (key) => inner.delete(key),
    listByUser: async (userId) =>
      (await inner.listByUser!(userId)).map((row) => ({
        key: row.key,
        entry: (state.bend === undefined ? row.entry : state.bend(row.entry)) as StoreEntry,
      })),
    deleteByUser: (userId, options) => inner.deleteByUser!(userId, options),
  };
  return { store, state };
}

function nullProto(fields: Record<string, unknown>): unknown {
  return Object.assign(Object.create(null) as object, fields);
}

const without = (entry: StoreEntry, name: keyof StoreEntry) => {
  const copy: Partial<StoreEntry> = { ...entry };
  delete copy[name];
  return copy;
};

/** Entries no store following the contract returns. */
const GARBAGE: Array<[string, Bend]> = [
  ["value: a number", (e) => ({ ...e, value: 42 })],
  ["value: an object", (e) => ({ ...e, value: { v: 1 } })],
  ["value: null", (e) => ({ ...e, value: null })],
  ["value: undefined", (e) => ({ ...e, value: undefined })],
  ["value: missing", (e) => without(e, "value")],
  ["expiresAt: NaN", (e) => ({ ...e, expiresAt: Number.NaN })],
  ["expiresAt: Infinity", (e) => ({ ...e, expiresAt: Number.POSITIVE_INFINITY })],
  ["expiresAt: -Infinity", (e) => ({ ...e, expiresAt: Number.NEGATIVE_INFINITY })],
  ["expiresAt: a string", (e) => ({ ...e, expiresAt: String(e.expiresAt) })],
  ["expiresAt: missing", (e) => without(e, "expiresAt")],
  ["expiresAt: beyond safe integers", (e) => ({ ...e, expiresAt: 1e300 })],
  ["expiresAt: a fraction", (e) => ({ ...e, expiresAt: e.expiresAt + 0.5 })],
  ["version: 0", (e) => ({ ...e, version: 0 })],
  ["version: negative", (e) => ({ ...e, version: -1 })],
  ["version: a fraction", (e) => ({ ...e, version: 1.5 })],
  ["version: a string", (e) => ({ ...e, version: "1" })],
  ["version: NaN", (e) => ({ ...e, version: Number.NaN })],
  ["version: missing", (e) => without(e, "version")],
  ["entry: a string", (e) => e.value],
  ["entry: an array", (e) => [e.value, e.expiresAt, e.version]],
  ["entry: an empty null-prototype object", () => nullProto({})],
  ["entry: undefined", () => undefined],
  ["entry: false", () => false],
  ["entry: 0", () => 0],
];

describe("stateful: garbage entries from the store are malformed, never a crash", () => {
  /** `storeLagMs` runs the store's clock behind, so it still returns entries the manager must expire. */
  function broken(options: Parameters<typeof setup>[0] = {}, storeLagMs = 0) {
    const c = clock();
    const bending = bendingStore(
      new MemoryStore({ sweepIntervalMs: 0, now: () => c.now() - storeLagMs }),
    );
    const t = setup({ store: bending.store, ...options }, false, 0, c);
    return { ...t, state: bending.state };
  }

  // Regression: a non-string value made load throw a TypeError (a 500), and a
  // non-finite expiresAt switched the idle timeout off.
  it.each(GARBAGE)("%s: a new session, rejected as malformed, with an event", async (_, bend) => {
    const { request, jar, sessions, events, state } = broken();
    await request(async (s) => {
      await s.login("u1");
      s.set("n", 1);
    });
    state.bend = bend;
    const s = await sessions.load(jar.header());
    expect(s.userId).toBeUndefined();
    expect(s.isNew).toBe(true);
    expect(s.rejected).toBe("malformed");
    expectEvent(events, {
      type: "rejected",
      reason: "malformed",
      session: expect.any(String),
    });
    // Its commit neither throws nor keeps the cookie.
    const lines = await sessions.commit(s);
    expect(lines.every((line) => line.includes("Max-Age=0"))).toBe(true);
  });

  it("a null-prototype entry with the contract's members is a normal entry", async () => {
    const { request, jar, sessions, state } = broken();
    await request((s) => s.login("u1"));
    state.bend = (e) => nullProto({ ...e });
    expect((await sessions.load(jar.header())).userId).toBe("u1");
  });

  it("an entry past its idle deadline by the record stays expired whatever expiresAt the store makes up", async () => {
    const { request, jar, sessions, clock, state } = broken({}, 2 * HOUR);
    await request((s) => s.login("u1"));
    clock.advance(HOUR);
    expect((await sessions.load(jar.header())).rejected).toBe("expired_idle");
    for (const expiresAt of [Number.POSITIVE_INFINITY, Number.NaN, 1e300]) {
      state.bend = (e) => ({ ...e, expiresAt });
      expect((await sessions.load(jar.header())).userId).toBeUndefined();
    }
  });

  it.each(GARBAGE)("%s behind a renewal forward: malformed, no crash", async (_, bend) => {
    const { request, jar, sessions, clock, state } = broken({ renewAfter: 15 * 60 });
    await request((s) => s.login("u1"));
    const old = jar.clone();
    clock.advance(16 * MIN);
    await request((s) => s.set("n", 1));
    // Only the renewed entry is garbage; the old key's forward reads normally.
    state.bend = (e) => (e.value.startsWith("~fwd1.") ? e : bend(e));
    const s = await sessions.load(old.header());
    expect(s.userId).toBeUndefined();
    expect(s.rejected).toBe("malformed");
  });

  it.each(GARBAGE)(
    "%s met by a commit's merge retry: the session ends, no crash",
    async (_, bend) => {
      const { request, jar, sessions, state } = broken();
      await request((s) => s.login("u1"));
      const a = await sessions.load(jar.header());
      const b = await sessions.load(jar.header());
      b.set("n", 2);
      await sessions.commit(b);
      // a's versioned write conflicts; the re-read answers garbage.
      state.bend = bend;
      a.set("n", 1);
      await expect(sessions.commit(a)).resolves.toEqual(expect.any(Array));
      expect(a.isDestroyed).toBe(true);
    },
  );

  it.each(GARBAGE)("%s in listUserSessions: the row is left out", async (_, bend) => {
    const { request, sessions, state } = broken();
    await request((s) => s.login("u1"));
    state.bend = bend;
    expect(await sessions.listUserSessions("u1")).toEqual([]);
  });
});

describe("stateless: garbage from the revocation store fails closed, never a crash", () => {
  /** Deny and notBefore entries are bent by key kind: `deny` for sid entries, `user` for notBefore. */
  function revocable() {
    const c = clock();
    const inner = new MemoryStore({ sweepIntervalMs: 0, now: c.now });
    const state: { deny?: () => unknown; user?: Bend } = {};
    let userKey: string | undefined;
    const store: SessionStore = {
      async get(key) {
        const entry = await inner.get(key);
        if (key === userKey && entry !== null && state.user) return state.user(entry) as StoreEntry;
        if (key !== userKey && state.deny) return state.deny() as StoreEntry;
        return entry;
      },
      async set(key, entry, options) {
        if (entry.value.includes("notBefore")) userKey = key;
        return inner.set(key, entry, options);
      },
      touch: (key, expiresAt) => inner.touch(key, expiresAt),
      delete: (key) => inner.delete(key),
    };
    const t = setup({ revocationStore: store }, true, 0, c);
    return { ...t, state };
  }

  /** Per-user entries whose notBefore cannot be read. */
  const USER_GARBAGE: Array<[string, Bend]> = [
    ...GARBAGE.filter(([name]) => name.startsWith("value") || name.startsWith("entry")),
    ["value: not JSON", (e) => ({ ...e, value: "{not json" })],
    ["value: JSON null", (e) => ({ ...e, value: "null" })],
    ["value: notBefore a string", (e) => ({ ...e, value: '{"v":1,"notBefore":"1"}' })],
    ["value: notBefore missing", (e) => ({ ...e, value: '{"v":1}' })],
  ];

  // Pins fail-closed reading at load (it held before) and at the commit's re-check.
  it.each(USER_GARBAGE)(
    "notBefore entry, %s: load and commit refuse the session as revoked",
    async (_, bend) => {
      const { request, jar, sessions, state, clock } = revocable();
      await sessions.revokeUser("u1");
      clock.advance(SEC);
      // Logged in after the revocation: accepted while the entry reads normally.
      await request((s) => s.login("u1"));
      clock.advance(2 * MIN);
      const inflight = await sessions.load(jar.header());
      expect(inflight.userId).toBe("u1");
      inflight.set("n", 1);
      state.user = bend;
      const s = await sessions.load(jar.header());
      expect(s.userId).toBeUndefined();
      expect(s.rejected).toBe("revoked");
      const lines = await sessions.commit(inflight);
      expect(lines.every((line) => line.includes("Max-Age=0"))).toBe(true);
    },
  );

  it.each([
    ["a string", () => "x"],
    ["an array", () => []],
    ["an empty object", () => ({})],
    ["undefined", () => undefined],
  ])("deny lookup answering %s: refused as revoked", async (_, garbage) => {
    const { request, jar, sessions, state } = revocable();
    await request((s) => s.login("u1"));
    state.deny = garbage;
    const s = await sessions.load(jar.header());
    expect(s.userId).toBeUndefined();
    expect(s.rejected).toBe("revoked");
  });
});
