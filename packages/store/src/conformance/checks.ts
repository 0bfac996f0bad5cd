import type { SetResult, StoreEntry, UserIndexedStore } from "../contract.js";
import { MAX_KEY_LENGTH } from "../limits.js";
import { supportsUserIndex } from "../supports-user-index.js";
import { ConformanceError, ensure, entryIs, equal, isNull, rejectsWith } from "./lib/assert.js";
import type { CheckContext } from "./lib/context.js";

/**
 * An optional part of the store contract that some checks need. `"userIndex"`
 * is the per-user index (`listByUser` and `deleteByUser`).
 *
 * @example
 * ```ts
 * const indexChecks = conformanceChecks.filter((c) => c.requires === "userIndex");
 * ```
 */
export type ConformanceCapability = "userIndex";

/**
 * One behavioural check of the store contract. Checks are plain async
 * functions that throw on failure, so they run under any test framework
 * (`runCheck`), from a script (`runConformance`) or in vitest (`describeStore`
 * from `@tessera/store/conformance/vitest`).
 *
 * @example
 * ```ts
 * for (const check of conformanceChecks) console.log(check.name, check.requires ?? "");
 * ```
 */
export interface ConformanceCheck {
  /** Stable, human-readable name; also the test name. */
  readonly name: string;
  /**
   * The optional capability this check tests. A store without it cannot pass
   * or fail the check: runners report it as skipped (see `skipReason`).
   */
  readonly requires?: ConformanceCapability;
  /** Throws a descriptive error when the store breaks the contract. */
  run(context: CheckContext): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

function later(): number {
  return Date.now() + HOUR;
}

function conflict(result: SetResult, what: string): void {
  ensure(
    result.ok === false && result.conflict === true,
    `${what}: expected { ok: false, conflict: true }, got ${JSON.stringify(result)}`,
  );
}

function written(result: SetResult, version: number, what: string): void {
  ensure(
    result.ok === true && result.version === version,
    `${what}: expected { ok: true, version: ${version} }, got ${JSON.stringify(result)}`,
  );
}

function byKey(list: Array<{ key: string; entry: StoreEntry }>): Map<string, StoreEntry> {
  return new Map(list.map(({ key, entry }) => [key, entry]));
}

// Values every store must round-trip byte for byte: the session manager's
// encodings never produce some of these, but encrypted or third-party
// encodings may, and a store that mangles them corrupts sessions silently.
const UNICODE_VALUES: Array<[string, string]> = [
  ["empty string", ""],
  ["JSON", '{"cart":[1,2],"user":{"id":"u1"}}'],
  ["emoji (astral, surrogate pairs)", "🍪🔐👩‍👩‍👧‍👦"],
  ["BMP characters", "é中ÿ\u00a0\u2028\u2029\ufeff\ufffd\uffff"],
  ["NUL and control characters", "a\u0000b\u0001\u001f\u007f"],
  ["quotes", `'"\`'`],
  ["backslashes", "\\\\n\\u0000\\"],
  ["CRLF and protocol-looking text", "x\r\nset k 0 0 1\r\ny\r\nEND\r\n"],
  ["SQL-looking text", "' OR '1'='1'; DROP TABLE sessions; --"],
  ["percent and glob characters", "%s %d * ? [a] {b}"],
];

const EDGE_KEYS: Array<[string, string]> = [
  ["leading dash", "-abcDEF0123456789_-abcDEF0123456789_-abcDE"],
  ["leading underscore", "_abcDEF0123456789_-abcDEF0123456789_-abcDE"],
  ["all dashes", "-".repeat(43)],
  ["all underscores", "_".repeat(43)],
  ["full alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"],
  ["64-char hex (SHA-256)", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["one character", "Q"],
  ["numeric", "0123456789"],
  [
    "MAX_KEY_LENGTH characters",
    "a-_Z9".repeat(Math.ceil(MAX_KEY_LENGTH / 5)).slice(0, MAX_KEY_LENGTH),
  ],
];

// Lone surrogates (not well-formed UTF-16, so not encodable as UTF-8).
const ILL_FORMED_USER_IDS: Array<[string, string]> = [
  ["a lone high surrogate at the end", "user-\uD800"],
  ["a lone low surrogate at the end", "user-\uDC00"],
  ["a lone high surrogate in the middle", "a\uD83Db"],
  ["a reversed surrogate pair", "\uDC36\uD83D"],
];

const BAD_KEYS: Array<[string, string]> = [
  ["empty", ""],
  ["space", "a b"],
  ["CRLF injection", "abc\r\nflush_all"],
  ["NUL", "abc\u0000"],
  ["padding", "abc="],
  ["base64 +/", "ab+/"],
  ["glob", "abc*"],
  ["non-ASCII", "é"],
  ["too long", "a".repeat(MAX_KEY_LENGTH + 1)],
];

/** @internal Name of the check that holds the capability to "both or neither". */
export const USER_INDEX_DECLARED =
  "user index: declared as both listByUser and deleteByUser, or neither";

function check(name: string, run: (context: CheckContext) => Promise<void>): ConformanceCheck {
  return Object.freeze({ name, run });
}

// Runners skip these on a store without the index instead of running them
// against nothing and reporting a pass.
function userIndexCheck(
  name: string,
  run: (context: CheckContext & { store: UserIndexedStore }) => Promise<void>,
): ConformanceCheck {
  return Object.freeze({
    name,
    requires: "userIndex" as const,
    run: (context: CheckContext) => {
      const { store } = context;
      if (!supportsUserIndex(store)) {
        throw new ConformanceError("the store has no user index: this check cannot run");
      }
      return run({ ...context, store });
    },
  });
}

/**
 * Every check of the store contract, in the order `describeStore` runs them.
 *
 * @example
 * ```ts
 * console.log(conformanceChecks.map((c) => c.name).join("\n"));
 * ```
 */
export const conformanceChecks: readonly ConformanceCheck[] = Object.freeze([
  check("get: a missing key resolves to null", async ({ store, key }) => {
    isNull(await store.get(key()), "get(missing)");
  }),

  check("set/get: round-trips value, expiresAt, userId and version 1", async (c) => {
    const k = c.key();
    const userId = c.userId();
    const expiresAt = later();
    written(await c.store.set(k, { value: "hello", expiresAt, userId }), 1, "first set");
    entryIs(await c.store.get(k), { value: "hello", expiresAt, userId, version: 1 }, "get");
  }),

  check("set/get: an entry without userId comes back without one", async (c) => {
    const k = c.key();
    const expiresAt = later();
    written(await c.store.set(k, { value: "anonymous", expiresAt }), 1, "set");
    entryIs(await c.store.get(k), { value: "anonymous", expiresAt, version: 1 }, "get");
  }),

  check(
    "set: unconditional upserts bump the version and replace value, expiry and owner",
    async (c) => {
      const k = c.key();
      const [u1, u2] = [c.userId(), c.userId()];
      const e1 = later();
      const e2 = e1 + 1000;
      written(await c.store.set(k, { value: "one", expiresAt: e1, userId: u1 }), 1, "set #1");
      written(await c.store.set(k, { value: "two", expiresAt: e2, userId: u2 }), 2, "set #2");
      written(await c.store.set(k, { value: "three", expiresAt: e1 }), 3, "set #3");
      entryIs(await c.store.get(k), { value: "three", expiresAt: e1, version: 3 }, "get");
    },
  ),

  check("get: returns a copy; mutating it does not change the store", async (c) => {
    const k = c.key();
    const expiresAt = later();
    await c.store.set(k, { value: "original", expiresAt, userId: "owner" });
    const first = await c.store.get(k);
    ensure(first !== null, "get after set: expected an entry, got null");
    first.value = "mutated";
    first.version = 99;
    first.expiresAt = 0;
    first.userId = "intruder";
    entryIs(
      await c.store.get(k),
      { value: "original", expiresAt, userId: "owner", version: 1 },
      "get again",
    );
    const input = { value: "input", expiresAt, userId: "owner" };
    await c.store.set(k, input);
    input.value = "changed after set";
    equal((await c.store.get(k))?.value, "input", "value after the caller mutated its input");
  }),

  check(
    "delete: removes the entry, is idempotent, and re-creation starts at version 1",
    async (c) => {
      const k = c.key();
      await c.store.set(k, { value: "v", expiresAt: later() });
      await c.store.set(k, { value: "v2", expiresAt: later() });
      await c.store.delete(k);
      isNull(await c.store.get(k), "get after delete");
      await c.store.delete(k);
      await c.store.delete(c.key());
      const expiresAt = later();
      written(
        await c.store.set(k, { value: "again", expiresAt }, { expectVersion: 0 }),
        1,
        "re-create",
      );
      entryIs(
        await c.store.get(k),
        { value: "again", expiresAt, version: 1 },
        "get after re-create",
      );
    },
  ),

  check(
    "expiry: an entry is never returned at or after expiresAt and then counts as absent",
    async (c) => {
      const k = c.key();
      const expiresAt = c.inMs(c.options.ttlMs);
      await c.store.set(k, { value: "short-lived", expiresAt });
      entryIs(
        await c.store.get(k),
        { value: "short-lived", expiresAt, version: 1 },
        "get before expiry",
      );
      await c.sleepUntil(expiresAt + c.options.expiryToleranceMs);
      isNull(await c.store.get(k), `get ${Date.now() - expiresAt} ms after expiresAt`);
      written(
        await c.store.set(k, { value: "reborn", expiresAt: later() }, { expectVersion: 0 }),
        1,
        "expectVersion 0 on an expired key (expired counts as absent)",
      );
    },
  ),

  check("touch: extends expiry without changing value, owner or version", async (c) => {
    const k = c.key();
    const ttl = c.options.ttlMs;
    const start = Date.now();
    const userId = c.userId();
    await c.store.set(k, { value: "kept", expiresAt: start + ttl, userId });
    await c.store.set(k, { value: "kept", expiresAt: start + ttl, userId });
    const extended = start + 3 * ttl;
    await c.store.touch(k, extended);
    await c.sleepUntil(start + 2 * ttl + c.options.expiryToleranceMs);
    entryIs(
      await c.store.get(k),
      { value: "kept", expiresAt: extended, userId, version: 2 },
      "get after the original expiry (touch must extend and must not bump the version)",
    );
    await c.sleepUntil(extended + c.options.expiryToleranceMs);
    isNull(await c.store.get(k), "get after the extended expiry");
  }),

  check("touch: can shorten expiry", async (c) => {
    const k = c.key();
    await c.store.set(k, { value: "v", expiresAt: Date.now() + 10 * DAY });
    const sooner = later();
    await c.store.touch(k, sooner);
    entryIs(await c.store.get(k), { value: "v", expiresAt: sooner, version: 1 }, "get after touch");
  }),

  check("touch: on a missing key is a no-op and creates nothing", async (c) => {
    const k = c.key();
    await c.store.touch(k, later());
    isNull(await c.store.get(k), "get after touch(missing)");
    written(
      await c.store.set(k, { value: "v", expiresAt: later() }, { expectVersion: 0 }),
      1,
      "create after touch",
    );
  }),

  check("touch: expiresAt at or before now deletes the entry", async (c) => {
    const k = c.key();
    await c.store.set(k, { value: "v", expiresAt: later() });
    await c.store.touch(k, Date.now() - 1000);
    isNull(await c.store.get(k), "get after touch into the past");
    const k2 = c.key();
    await c.store.set(k2, { value: "v", expiresAt: later() });
    await c.store.touch(k2, 0);
    isNull(await c.store.get(k2), "get after touch(0)");
  }),

  check(
    "set: expiresAt at or before now deletes, returns version 0 and never stores",
    async (c) => {
      const k = c.key();
      await c.store.set(k, { value: "v", expiresAt: later() });
      written(
        await c.store.set(k, { value: "gone", expiresAt: Date.now() - 5000 }),
        0,
        "set into the past (existing)",
      );
      isNull(await c.store.get(k), "get after set into the past");
      const missing = c.key();
      written(
        await c.store.set(missing, { value: "x", expiresAt: 0 }),
        0,
        "set(expiresAt 0) on a missing key",
      );
      isNull(await c.store.get(missing), "get after set(expiresAt 0)");
      written(
        await c.store.set(missing, { value: "x", expiresAt: -1 }, { expectVersion: 0 }),
        0,
        "create-only set into the past",
      );
      isNull(await c.store.get(missing), "get after create-only set into the past");
      const versioned = c.key();
      await c.store.set(versioned, { value: "v", expiresAt: later() });
      conflict(
        await c.store.set(versioned, { value: "x", expiresAt: 0 }, { expectVersion: 7 }),
        "stale versioned delete-by-expiry",
      );
      equal(
        (await c.store.get(versioned))?.value,
        "v",
        "value after a conflicting delete-by-expiry",
      );
    },
  ),

  check(
    "expiry: a far-future expiresAt (60 days, beyond Memcached's 30-day relative TTL) is kept",
    async (c) => {
      const k = c.key();
      const expiresAt = Date.now() + 60 * DAY;
      await c.store.set(k, { value: "remember me", expiresAt });
      entryIs(await c.store.get(k), { value: "remember me", expiresAt, version: 1 }, "get");
      const further = Date.now() + 90 * DAY;
      await c.store.touch(k, further);
      entryIs(
        await c.store.get(k),
        { value: "remember me", expiresAt: further, version: 1 },
        "get after touch",
      );
    },
  ),

  check("versions: expectVersion 0 creates only", async (c) => {
    const k = c.key();
    const expiresAt = later();
    written(await c.store.set(k, { value: "first", expiresAt }, { expectVersion: 0 }), 1, "create");
    conflict(
      await c.store.set(k, { value: "second", expiresAt }, { expectVersion: 0 }),
      "create on an existing key",
    );
    entryIs(
      await c.store.get(k),
      { value: "first", expiresAt, version: 1 },
      "get after the conflict",
    );
  }),

  check(
    "versions: a matching expectVersion writes; stale or future versions conflict",
    async (c) => {
      const k = c.key();
      const expiresAt = later();
      await c.store.set(k, { value: "v1", expiresAt });
      written(
        await c.store.set(k, { value: "v2", expiresAt }, { expectVersion: 1 }),
        2,
        "write at version 1",
      );
      conflict(
        await c.store.set(k, { value: "stale", expiresAt }, { expectVersion: 1 }),
        "stale expectVersion",
      );
      conflict(
        await c.store.set(k, { value: "future", expiresAt }, { expectVersion: 3 }),
        "future expectVersion",
      );
      entryIs(await c.store.get(k), { value: "v2", expiresAt, version: 2 }, "get after conflicts");
      await c.store.touch(k, expiresAt + 1000);
      written(
        await c.store.set(k, { value: "v3", expiresAt }, { expectVersion: 2 }),
        3,
        "write after a touch (touch must not bump the version)",
      );
    },
  ),

  check(
    "versions: expectVersion above 0 on a missing key conflicts and creates nothing",
    async (c) => {
      const k = c.key();
      conflict(
        await c.store.set(k, { value: "x", expiresAt: later() }, { expectVersion: 1 }),
        "set(missing, expect 1)",
      );
      isNull(await c.store.get(k), "get after the conflict");
    },
  ),

  check("concurrency: parallel versioned writes from one version, exactly one wins", async (c) => {
    const k = c.key();
    const expiresAt = later();
    await c.store.set(k, { value: "base", expiresAt });
    const n = c.options.concurrency;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        c.store.set(k, { value: `writer-${i}`, expiresAt }, { expectVersion: 1 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    equal(winners.length, 1, `winners among ${n} parallel writes with expectVersion 1`);
    results.forEach((r, i) => {
      if (!r.ok) conflict(r, `loser ${i}`);
    });
    written(results[winners[0]!]!, 2, "the winner");
    entryIs(await c.store.get(k), { value: `writer-${winners[0]}`, expiresAt, version: 2 }, "get");
  }),

  check("concurrency: parallel creates with expectVersion 0, exactly one wins", async (c) => {
    const k = c.key();
    const expiresAt = later();
    const n = c.options.concurrency;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        c.store.set(k, { value: `creator-${i}`, expiresAt }, { expectVersion: 0 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    equal(winners.length, 1, `winners among ${n} parallel creates`);
    entryIs(await c.store.get(k), { value: `creator-${winners[0]}`, expiresAt, version: 1 }, "get");
  }),

  check("values: Unicode, NUL, quotes, backslashes and CRLF round-trip exactly", async (c) => {
    const expiresAt = later();
    for (const [label, value] of UNICODE_VALUES) {
      const k = c.key();
      await c.store.set(k, { value, expiresAt });
      equal((await c.store.get(k))?.value, value, `value "${label}"`);
    }
  }),

  check(
    "values: a value of maxValueBytes UTF-8 bytes round-trips (ASCII and multi-byte)",
    async (c) => {
      const max = c.options.maxValueBytes;
      const expiresAt = later();
      // 4-byte emoji, 3-byte CJK and 2-byte Latin characters, topped up with ASCII to exactly `max`.
      const multi =
        "🍪".repeat(Math.floor(max / 16)) +
        "中".repeat(Math.floor(max / 12)) +
        "é".repeat(Math.floor(max / 8));
      const used = Math.floor(max / 16) * 4 + Math.floor(max / 12) * 3 + Math.floor(max / 8) * 2;
      const cases: Array<[string, string]> = [
        ["ASCII", "a".repeat(max)],
        ["mixed 1-4 byte", multi + "z".repeat(max - used)],
      ];
      for (const [label, value] of cases) {
        const k = c.key();
        await c.store.set(k, { value, expiresAt });
        const got = await c.store.get(k);
        ensure(got !== null, `${label} value of ${max} bytes: get returned null`);
        ensure(
          got.value === value,
          `${label} value of ${max} bytes: came back altered (${got.value.length} vs ${value.length} chars)`,
        );
      }
    },
  ),

  check(
    "keys: the full base64url alphabet, hashes, leading - and _, 1 to MAX_KEY_LENGTH chars",
    async (c) => {
      const expiresAt = later();
      for (const [label, raw] of EDGE_KEYS) {
        const k = c.track(raw);
        // A fixed key may survive from an earlier run against a persistent server.
        await c.store.delete(k);
        await c.store.set(k, { value: label, expiresAt });
        entryIs(await c.store.get(k), { value: label, expiresAt, version: 1 }, `key "${label}"`);
      }
      for (const [label, raw] of EDGE_KEYS) {
        equal(
          (await c.store.get(raw))?.value,
          label,
          `key "${label}" after writing all the others`,
        );
      }
    },
  ),

  check("keys: are case-sensitive", async (c) => {
    const lower = c.key().toLowerCase();
    const upper = c.track(lower.toUpperCase());
    c.track(lower);
    const expiresAt = later();
    await c.store.set(lower, { value: "lower", expiresAt });
    isNull(await c.store.get(upper), "get of the upper-case twin before it exists");
    await c.store.set(upper, { value: "upper", expiresAt });
    equal((await c.store.get(lower))?.value, "lower", "lower-case key");
    equal((await c.store.get(upper))?.value, "upper", "upper-case key");
  }),

  check(
    "validation: bad keys, expiries, values and versions reject with typed StoreErrors",
    async (c) => {
      const s = c.store;
      const ok = { value: "v", expiresAt: later() };
      for (const [label, bad] of BAD_KEYS) {
        await rejectsWith(() => s.get(bad), "ERR_STORE_INVALID_KEY", `get(key ${label})`);
        await rejectsWith(() => s.set(bad, ok), "ERR_STORE_INVALID_KEY", `set(key ${label})`);
        await rejectsWith(
          () => s.touch(bad, later()),
          "ERR_STORE_INVALID_KEY",
          `touch(key ${label})`,
        );
        await rejectsWith(() => s.delete(bad), "ERR_STORE_INVALID_KEY", `delete(key ${label})`);
      }
      const k = c.key();
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5]) {
        await rejectsWith(
          () => s.set(k, { value: "v", expiresAt: bad }),
          "ERR_STORE_INVALID_EXPIRY",
          `set(expiresAt ${bad})`,
        );
        await rejectsWith(
          () => s.touch(k, bad),
          "ERR_STORE_INVALID_EXPIRY",
          `touch(expiresAt ${bad})`,
        );
      }
      for (const bad of [null, 42, undefined, { toString: () => "x" }]) {
        const entry = { value: bad, expiresAt: later() } as unknown as typeof ok;
        await rejectsWith(
          () => s.set(k, entry),
          "ERR_STORE_INVALID_VALUE",
          `set(value ${String(bad)})`,
        );
      }
      for (const bad of [-1, 1.5, Number.NaN, "1"]) {
        const options = { expectVersion: bad } as unknown as { expectVersion: number };
        await rejectsWith(
          () => s.set(k, ok, options),
          "ERR_STORE_INVALID_VERSION",
          `set(expectVersion ${String(bad)})`,
        );
      }
      for (const bad of ["", 42]) {
        const entry = { value: "v", expiresAt: later(), userId: bad } as unknown as typeof ok;
        await rejectsWith(
          () => s.set(k, entry),
          "ERR_STORE_INVALID_USER_ID",
          `set(userId ${JSON.stringify(bad)})`,
        );
      }
      isNull(await s.get(k), "nothing was written by rejected calls");
    },
  ),

  check(
    "validation: user ids that are not well-formed Unicode reject with ERR_STORE_INVALID_USER_ID",
    async (c) => {
      // Networked backends store a lone surrogate as U+FFFD, so "a\uD800" and
      // "a\uDC00" would share one per-user index: refused before any write.
      const s = c.store;
      const k = c.key();
      for (const [label, bad] of ILL_FORMED_USER_IDS) {
        await rejectsWith(
          () => s.set(k, { value: "v", expiresAt: later(), userId: bad }),
          "ERR_STORE_INVALID_USER_ID",
          `set(userId with ${label})`,
        );
        if (!supportsUserIndex(s)) continue;
        await rejectsWith(
          () => s.listByUser(bad),
          "ERR_STORE_INVALID_USER_ID",
          `listByUser(userId with ${label})`,
        );
        await rejectsWith(
          () => s.deleteByUser(bad),
          "ERR_STORE_INVALID_USER_ID",
          `deleteByUser(userId with ${label})`,
        );
      }
      isNull(await s.get(k), "nothing was written by rejected calls");
    },
  ),

  check(USER_INDEX_DECLARED, async ({ store, options }) => {
    const list = typeof store.listByUser;
    const del = typeof store.deleteByUser;
    ensure(
      (list === "function" && del === "function") || (list === "undefined" && del === "undefined"),
      `listByUser is ${list} and deleteByUser is ${del}: declare the capability with both methods or neither`,
    );
    // The option states what the test author expects, so a store that lost
    // (or grew) its index is caught here rather than silently skipped.
    const has = list === "function";
    if (options.userIndex !== undefined && options.userIndex !== has) {
      throw new ConformanceError(
        `the option userIndex is ${options.userIndex}, but the store ${has ? "declares" : "does not declare"} listByUser and deleteByUser`,
      );
    }
  }),

  userIndexCheck("user index: listByUser returns exactly the user's live entries", async (c) => {
    const s = c.store;
    const u = c.userId();
    const emojiUser = `${c.userId()}-🍪-é`;
    const expiresAt = later();
    const [a, b, other, anon, emojiKey] = [c.key(), c.key(), c.key(), c.key(), c.key()];
    await s.set(a, { value: "a", expiresAt, userId: u });
    await s.set(b, { value: "b", expiresAt, userId: u });
    await s.set(b, { value: "b2", expiresAt, userId: u });
    await s.set(other, { value: "other", expiresAt, userId: c.userId() });
    await s.set(anon, { value: "anon", expiresAt });
    await s.set(emojiKey, { value: "emoji", expiresAt, userId: emojiUser });
    const listed = byKey(await s.listByUser(u));
    equal(listed.size, 2, "number of entries listed for the user");
    entryIs(
      listed.get(a) ?? null,
      { value: "a", expiresAt, userId: u, version: 1 },
      "listed entry a",
    );
    entryIs(
      listed.get(b) ?? null,
      { value: "b2", expiresAt, userId: u, version: 2 },
      "listed entry b",
    );
    const emoji = await s.listByUser(emojiUser);
    equal(emoji.length, 1, "entries listed for a Unicode user id");
    equal(emoji[0]?.key, emojiKey, "key listed for a Unicode user id");
    equal((await s.listByUser(c.userId())).length, 0, "entries listed for an unknown user");
    await s.delete(a);
    const afterDelete = await s.listByUser(u);
    equal(afterDelete.length, 1, "entries listed after deleting one");
    equal(afterDelete[0]?.key, b, "key listed after deleting one");
  }),

  userIndexCheck("user index: changing an entry's owner moves it between users", async (c) => {
    const s = c.store;
    const [u1, u2] = [c.userId(), c.userId()];
    const k = c.key();
    await s.set(k, { value: "v", expiresAt: later(), userId: u1 });
    await s.set(k, { value: "v", expiresAt: later(), userId: u2 });
    equal((await s.listByUser(u1)).length, 0, "entries of the previous owner");
    equal((await s.listByUser(u2))[0]?.key, k, "entry of the new owner");
    await s.set(k, { value: "v", expiresAt: later() });
    equal((await s.listByUser(u2)).length, 0, "entries after the owner was removed");
    equal(await s.deleteByUser(u1), 0, "deleteByUser(previous owner)");
    equal((await s.get(k))?.value, "v", "the entry survives deleteByUser of former owners");
  }),

  userIndexCheck(
    "user index: deleteByUser deletes all but exceptKey and returns the count",
    async (c) => {
      const s = c.store;
      const [u, v] = [c.userId(), c.userId()];
      const expiresAt = later();
      const [s1, s2, s3, v1] = [c.key(), c.key(), c.key(), c.key()];
      for (const k of [s1, s2, s3]) await s.set(k, { value: k, expiresAt, userId: u });
      await s.set(v1, { value: "v1", expiresAt, userId: v });
      equal(await s.deleteByUser(u, { exceptKey: s2 }), 2, "deleteByUser(u, except s2)");
      isNull(await s.get(s1), "s1 after deleteByUser");
      isNull(await s.get(s3), "s3 after deleteByUser");
      equal((await s.get(s2))?.value, s2, "s2 (the exception) after deleteByUser");
      equal((await s.get(v1))?.value, "v1", "another user's entry after deleteByUser");
      const left = await s.listByUser(u);
      equal(
        left.length === 1 && left[0]?.key === s2,
        true,
        "listByUser after deleteByUser holds only s2",
      );
      equal(await s.deleteByUser(u), 1, "deleteByUser(u) without exception");
      isNull(await s.get(s2), "s2 after deleteByUser without exception");
      equal(await s.deleteByUser(u), 0, "deleteByUser on a user with no sessions");
    },
  ),

  userIndexCheck("user index: expired entries are neither listed nor counted", async (c) => {
    const s = c.store;
    const u = c.userId();
    const [short, long] = [c.key(), c.key()];
    const soon = c.inMs(c.options.ttlMs);
    await s.set(short, { value: "short", expiresAt: soon, userId: u });
    await s.set(long, { value: "long", expiresAt: later(), userId: u });
    equal((await s.listByUser(u)).length, 2, "entries listed before expiry");
    await c.sleepUntil(soon + c.options.expiryToleranceMs);
    const listed = await s.listByUser(u);
    equal(
      listed.length === 1 && listed[0]?.key === long,
      true,
      "only the live entry is listed after expiry",
    );
    equal(await s.deleteByUser(u), 1, "deleteByUser counts only live entries");
  }),

  check(
    "close: every method rejects with StoreClosedError afterwards; close is idempotent",
    async (c) => {
      const s = c.store;
      if (s.close === undefined) return;
      const k = c.key();
      await s.set(k, { value: "v", expiresAt: later() });
      await s.close();
      await s.close();
      const code = "ERR_STORE_CLOSED";
      await rejectsWith(() => s.get(k), code, "get after close");
      await rejectsWith(
        () => s.set(k, { value: "v", expiresAt: later() }),
        code,
        "set after close",
      );
      await rejectsWith(() => s.touch(k, later()), code, "touch after close");
      await rejectsWith(() => s.delete(k), code, "delete after close");
      if (supportsUserIndex(s)) {
        await rejectsWith(() => s.listByUser("u"), code, "listByUser after close");
        await rejectsWith(() => s.deleteByUser("u"), code, "deleteByUser after close");
      }
    },
  ),
]);

export { ConformanceError };
