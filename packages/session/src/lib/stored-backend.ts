import { type SessionStore, supportsUserIndex, type UserIndexedStore } from "@tessera/store";
import type { UserSessionInfo } from "../create-sessions.js";
import { SessionError } from "../errors.js";
import { type Backend, ownSession } from "./backend.js";
import { commitStored } from "./commit.js";
import type { Context } from "./context.js";
import { loadStored } from "./load.js";
import type { SessionImpl } from "./session-impl.js";
import { deleteOrOwe, storeCall } from "./store-call.js";
import { fromStored, isStoreEntry } from "./stored.js";
import { checkUserId } from "./user-id.js";

/** The store with its per-user index, or the error saying the operation needs one. */
function indexed(store: SessionStore, operation: string): UserIndexedStore {
  if (!supportsUserIndex(store)) {
    throw new SessionError(
      "ERR_SESSION_UNSUPPORTED",
      `${operation} needs a store with the per-user index (listByUser and deleteByUser); this store has none`,
    );
  }
  return store;
}

function listByUser(ctx: Context, store: UserIndexedStore, userId: string) {
  return storeCall(ctx, "listByUser", undefined, () => store.listByUser(userId));
}

/**
 * At the `maxSessionsPerUser` limit, before a login: `"reject"` refuses it,
 * `"evict_oldest"` deletes the user's least recently active sessions.
 */
async function enforceLimit(
  ctx: Context,
  store: SessionStore,
  s: SessionImpl<object, object>,
  userId: string,
): Promise<void> {
  const max = ctx.maxSessionsPerUser;
  if (max === undefined || !supportsUserIndex(store)) return;
  const rows = await listByUser(ctx, store, userId);
  const others = rows.filter((row) => row.key !== s.key);
  const excess = others.length - max + 1;
  if (excess <= 0) return;
  if (ctx.sessionLimit === "reject") {
    throw new SessionError(
      "ERR_SESSION_LIMIT",
      `the user already holds ${others.length} sessions (maxSessionsPerUser ${max})`,
    );
  }
  // The entry expiring first is the one least recently active (expiry follows lastSeenAt).
  others.sort((a, b) => a.entry.expiresAt - b.entry.expiresAt);
  for (const row of others.slice(0, excess)) {
    await storeCall(ctx, "delete", row.key, () => store.delete(row.key));
    ctx.emit({ type: "destroyed", at: ctx.now(), session: row.key, reason: "evicted" });
  }
}

async function listUserSessions(
  ctx: Context,
  store: UserIndexedStore,
  userId: string,
): Promise<UserSessionInfo[]> {
  const rows = await listByUser(ctx, store, userId);
  const out: UserSessionInfo[] = [];
  for (const row of rows) {
    const { key, entry } = row ?? {};
    // A row the store mangled is left out rather than shown with made-up instants.
    if (typeof key !== "string" || !isStoreEntry(entry)) continue;
    const record = await fromStored(ctx, key, entry.value, ctx.now());
    if (record === null || record.userId !== userId) continue;
    out.push({
      id: ctx.crypto.publicId(key),
      createdAt: record.createdAt,
      lastSeenAt: Math.max(record.lastSeenAt, entry.expiresAt - ctx.timeouts.idleMs),
      authTime: record.authTime,
      expiresAt: entry.expiresAt,
      userAgent: record.meta?.userAgent,
      ip: record.meta?.ip,
    });
  }
  return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

/**
 * Stored mode: the record lives in `store` under the SHA-256 of a random
 * token, and the cookie (or bearer token) carries only the signed token.
 */
export function storedBackend(store: SessionStore): Backend {
  return {
    mode: "stateful",
    revocable: true,
    keepsMeta: true,
    load: (ctx, header, meta) => loadStored(ctx, store, header, meta),
    commit: (ctx, s) => commitStored(ctx, store, s),
    identify() {
      // The record is found by the token's hash; it does not carry the token.
    },
    async retire(ctx, s) {
      const key = s.key!;
      await storeCall(ctx, "delete", key, () => store.delete(key));
    },
    async destroy(ctx, s) {
      const key = s.key;
      if (key === undefined || s.version === 0) return;
      const failure = await deleteOrOwe(ctx, store, key);
      if (failure !== undefined) throw failure.error;
      ctx.emit({ type: "destroyed", at: ctx.now(), session: key, reason: "logout" });
    },
    beforeLogin: (ctx, s, userId) => enforceLimit(ctx, store, s, userId),
    async listUserSessions(ctx, userId) {
      const index = indexed(store, "listUserSessions");
      checkUserId(userId);
      return listUserSessions(ctx, index, userId);
    },
    async revokeUser(ctx, userId, except) {
      const index = indexed(store, "revokeUser");
      checkUserId(userId);
      const exceptKey = except === undefined ? undefined : ownSession(except, ctx).key;
      const options = exceptKey === undefined ? {} : { exceptKey };
      return storeCall(ctx, "deleteByUser", undefined, () => index.deleteByUser(userId, options));
    },
    async revokeUserSession(ctx, userId, id) {
      const index = indexed(store, "revokeUserSession");
      checkUserId(userId);
      if (typeof id !== "string") return false;
      const rows = await listByUser(ctx, index, userId);
      // Found by its public id among the user's own rows: another user's id, or a
      // store key passed as an id, names nothing.
      const row = rows.find((r) => typeof r?.key === "string" && ctx.crypto.publicId(r.key) === id);
      if (row === undefined) return false;
      const key = row.key;
      await storeCall(ctx, "delete", key, () => store.delete(key));
      ctx.emit({ type: "destroyed", at: ctx.now(), session: key, reason: "revoked" });
      return true;
    },
  };
}
