import { ConformanceError, ensure, entryIs, equal, isNull } from "../lib/assert.js";
import {
  byKey,
  type ConformanceCheck,
  check,
  later,
  listsOnly,
  USER_INDEX_DECLARED,
  userIndexCheck,
} from "../lib/define.js";

/** The checks of the per-user index (listByUser, deleteByUser). */
export const userIndexChecks: readonly ConformanceCheck[] = [
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
      listsOnly(await s.listByUser(u), s2, "listByUser after deleteByUser");
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
    listsOnly(await s.listByUser(u), long, "listByUser after expiry (only the live entry)");
    equal(await s.deleteByUser(u), 1, "deleteByUser counts only live entries");
  }),
];
