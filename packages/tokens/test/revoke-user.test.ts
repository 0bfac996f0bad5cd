import { MemoryStore, type SessionStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { TokensError } from "../src/index.js";
import { setup, storeFactories } from "./helpers.js";

describe.each(storeFactories)("revocation on %s", (_name, factory) => {
  it("revokeUser revokes every family of the user and no one else's", async () => {
    const { tokens, events } = await setup(factory);
    const a = await tokens.issue("u1");
    const b = await tokens.issue("u1");
    const rotated = await tokens.refresh(b.refreshToken);
    if (!rotated.ok) throw new Error(rotated.reason);
    const other = await tokens.issue("u2");
    expect(await tokens.revokeUser("u1")).toBe(2);
    expect(await tokens.refresh(a.refreshToken)).toEqual({ ok: false, reason: "revoked" });
    expect(await tokens.refresh(rotated.pair.refreshToken)).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect((await tokens.refresh(other.refreshToken)).ok).toBe(true);
    expect(events.filter((e) => e.type === "family_revoked" && e.reason === "user")).toHaveLength(
      2,
    );
    // Idempotent.
    expect(await tokens.revokeUser("u1")).toBe(0);
  });

  it("revokeUser leaves entries of other packages sharing the store alone", async () => {
    const { tokens, store, clock } = await setup(factory);
    await tokens.issue("u1");
    const key = "c2Vzc2lvbi1vZi11MQ";
    await store.set(key, { value: '{"cart":[1]}', expiresAt: clock.now() + 60_000, userId: "u1" });
    expect(await tokens.revokeUser("u1")).toBe(1);
    expect((await store.get(key))?.value).toBe('{"cart":[1]}');
  });

  it("revokeRefreshToken (logout) revokes the family, from a live or a used token", async () => {
    const { tokens } = await setup(factory);
    const a = await tokens.issue("u1");
    expect(await tokens.revokeRefreshToken(a.refreshToken)).toBe(true);
    expect(await tokens.refresh(a.refreshToken)).toEqual({ ok: false, reason: "revoked" });
    expect(await tokens.revokeRefreshToken(a.refreshToken)).toBe(false);
    expect(await tokens.revokeRefreshToken("nope")).toBe(false);
    const b = await tokens.issue("u1");
    const next = await tokens.refresh(b.refreshToken);
    if (!next.ok) throw new Error(next.reason);
    expect(await tokens.revokeRefreshToken(b.refreshToken)).toBe(true);
    expect(await tokens.refresh(next.pair.refreshToken)).toMatchObject({ reason: "revoked" });
  });

  it("revokeFamily by sid; unknown sid resolves false", async () => {
    const { tokens } = await setup(factory);
    const a = await tokens.issue("u1");
    expect(await tokens.revokeFamily(a.sessionId)).toBe(true);
    expect(await tokens.revokeFamily(a.sessionId)).toBe(false);
    expect(await tokens.revokeFamily("unknown")).toBe(false);
  });
});

describe("revokeUser without a per-user index", () => {
  it("throws ERR_TOKENS_UNSUPPORTED", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store: SessionStore = {
      get: (k) => inner.get(k),
      set: (k, e, o) => inner.set(k, e, o),
      touch: (k, e) => inner.touch(k, e),
      delete: (k) => inner.delete(k),
    };
    const { tokens } = await setup(() => store);
    await tokens.issue("u1");
    await expect(tokens.revokeUser("u1")).rejects.toSatisfy(
      (e: unknown) => TokensError.isInstance(e) && e.code === "ERR_TOKENS_UNSUPPORTED",
    );
  });
});
