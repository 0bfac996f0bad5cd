import { MAX_KEY_LENGTH } from "../../limits.js";
import { supportsUserIndex } from "../../supports-user-index.js";
import { ensure, equal, isNull, rejectsWith } from "../lib/assert.js";
import { type ConformanceCheck, check, holds, later } from "../lib/define.js";

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

/** The checks of values, keys and user ids at the edges, and of bad input. */
export const inputChecks: readonly ConformanceCheck[] = [
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
        await holds(c.store, k, { value: label, expiresAt, version: 1 }, `key "${label}"`);
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
        // The key to keep is a key too: Memcached's store once ignored a bad one.
        if (!supportsUserIndex(s)) continue;
        await rejectsWith(
          () => s.deleteByUser(c.userId(), { exceptKey: bad }),
          "ERR_STORE_INVALID_KEY",
          `deleteByUser(exceptKey ${label})`,
        );
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
];
