import { hashToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { familyKey, parseFamily, parseRefresh } from "../src/lib/records.js";
import { setup, storeFactories } from "./helpers.js";

const DAY = 86_400;

describe.each(storeFactories)("refresh on %s", (_name, factory) => {
  it("rotates: new pair, old token used, parent and child share the family", async () => {
    const { tokens, store, events } = await setup(factory);
    const first = await tokens.issue("u1");
    const next = await tokens.refresh(first.refreshToken);
    expect(next.ok).toBe(true);
    if (!next.ok) return;
    expect(next.pair.refreshToken).not.toBe(first.refreshToken);
    expect(next.pair.accessToken).not.toBe(first.accessToken);
    expect(next.pair.sessionId).toBe(first.sessionId);
    const parent = parseRefresh(await store.get(hashToken(first.refreshToken)))!;
    const child = parseRefresh(await store.get(hashToken(next.pair.refreshToken)))!;
    expect(parent.used).toBeTypeOf("number");
    expect(parent.child).toBe(hashToken(next.pair.refreshToken));
    expect(child.fam).toBe(parent.fam);
    expect(child.parent).toBe(hashToken(first.refreshToken));
    expect(child.used).toBeUndefined();
    const family = parseFamily(await store.get(familyKey(first.sessionId)))!;
    expect(family.cur).toBe(hashToken(next.pair.refreshToken));
    const seen = await tokens.verify(next.pair.accessToken);
    expect(seen.ok && seen.claims.sid).toBe(first.sessionId);
    expect(events.map((e) => e.type)).toEqual(["issued", "refreshed"]);
  });

  it("a chain of rotations keeps working and each step uses up its parent", async () => {
    const { tokens } = await setup(factory);
    let token = (await tokens.issue("u1")).refreshToken;
    for (let i = 0; i < 5; i++) {
      const next = await tokens.refresh(token);
      if (!next.ok) throw new Error(next.reason);
      token = next.pair.refreshToken;
    }
    expect((await tokens.refresh(token)).ok).toBe(true);
  });

  it("reuse of a used token revokes the family, emits refresh_reuse, and a new login works", async () => {
    const { tokens, events, store } = await setup(factory, { checkRevocation: true });
    const rt1 = await tokens.issue("u1");
    const second = await tokens.refresh(rt1.refreshToken);
    if (!second.ok) throw new Error(second.reason);
    expect(await tokens.refresh(rt1.refreshToken)).toEqual({ ok: false, reason: "reused" });
    expect(await tokens.refresh(second.pair.refreshToken)).toEqual({
      ok: false,
      reason: "revoked",
    });
    // The linked session: the family's access tokens are refused too.
    expect(await tokens.verify(second.pair.accessToken)).toMatchObject({
      ok: false,
      reason: "revoked",
    });
    const reuse = events.find((e) => e.type === "refresh_reuse");
    expect(reuse).toMatchObject({
      family: rt1.sessionId,
      userId: "u1",
      token: hashToken(rt1.refreshToken),
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "family_revoked", reason: "reuse" }),
    );
    expect(parseFamily(await store.get(familyKey(rt1.sessionId)))!.why).toBe("reuse");
    const again = await tokens.issue("u1");
    expect(again.sessionId).not.toBe(rt1.sessionId);
    expect((await tokens.refresh(again.refreshToken)).ok).toBe(true);
  });

  it("two truly concurrent refreshes: exactly one success, the other reused, family revoked", async () => {
    const { tokens, store } = await setup(factory);
    const pair = await tokens.issue("u1");
    const results = await Promise.all([
      tokens.refresh(pair.refreshToken),
      tokens.refresh(pair.refreshToken),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "reused" }]);
    const family = parseFamily(await store.get(familyKey(pair.sessionId)))!;
    expect(family.rev).toBeTypeOf("number");
    const winner = results.find((r) => r.ok)!;
    if (!winner.ok) return;
    // Consistent state: the family is revoked, so the winner's child is dead too.
    expect(await tokens.refresh(winner.pair.refreshToken)).toEqual({
      ok: false,
      reason: "revoked",
    });
  });

  it("50 concurrent refreshes with one token mint at most one child", async () => {
    const { tokens, store } = await setup(factory);
    const pair = await tokens.issue("u1");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => tokens.refresh(pair.refreshToken)),
    );
    const children = new Set(results.flatMap((r) => (r.ok ? [r.pair.refreshToken] : [])));
    expect(children.size).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "reused")).toBe(true);
    const parent = parseRefresh(await store.get(hashToken(pair.refreshToken)))!;
    expect(parent.used).toBeTypeOf("number");
    expect(parseFamily(await store.get(familyKey(pair.sessionId)))!.rev).toBeTypeOf("number");
  });

  it("grace window, same binding: both responses carry the same child, family intact", async () => {
    const { tokens, store, events } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    const [a, b] = await Promise.all([
      tokens.refresh(pair.refreshToken, { binding: "client-a" }),
      tokens.refresh(pair.refreshToken, { binding: "client-a" }),
    ]);
    expect(a!.ok && b!.ok).toBe(true);
    if (!a!.ok || !b!.ok) return;
    expect(a!.pair.refreshToken).toBe(b!.pair.refreshToken);
    const family = parseFamily(await store.get(familyKey(pair.sessionId)))!;
    expect(family.rev).toBeUndefined();
    expect(family.cur).toBe(hashToken(a!.pair.refreshToken));
    expect(events.some((e) => e.type === "refresh_grace")).toBe(true);
    // The child works once; the family goes on.
    expect((await tokens.refresh(a!.pair.refreshToken, { binding: "client-a" })).ok).toBe(true);
  });

  it("grace window: 50 concurrent presentations by the same client share one child", async () => {
    const { tokens } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => tokens.refresh(pair.refreshToken, { binding: "client-a" })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.pair.refreshToken)).size).toBe(1);
  });

  it("grace window: a different binding takes the reuse path", async () => {
    const { tokens, store } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    expect((await tokens.refresh(pair.refreshToken, { binding: "client-a" })).ok).toBe(true);
    expect(await tokens.refresh(pair.refreshToken, { binding: "client-b" })).toEqual({
      ok: false,
      reason: "reused",
    });
    expect(parseFamily(await store.get(familyKey(pair.sessionId)))!.why).toBe("reuse");
  });

  it("grace window: after the window the same client takes the reuse path", async () => {
    const { tokens, clock } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    expect((await tokens.refresh(pair.refreshToken, { binding: "client-a" })).ok).toBe(true);
    clock.advance(6);
    expect(await tokens.refresh(pair.refreshToken, { binding: "client-a" })).toEqual({
      ok: false,
      reason: "reused",
    });
  });

  it("grace window: once the child was rotated, the parent is reuse even inside the window", async () => {
    const { tokens } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    const two = await tokens.refresh(pair.refreshToken, { binding: "client-a" });
    if (!two.ok) throw new Error(two.reason);
    expect((await tokens.refresh(two.pair.refreshToken, { binding: "client-a" })).ok).toBe(true);
    expect(await tokens.refresh(pair.refreshToken, { binding: "client-a" })).toMatchObject({
      reason: "reused",
    });
  });

  it("grace window is never granted to an unbound family", async () => {
    const { tokens } = await setup(factory, { graceWindow: 5 });
    const pair = await tokens.issue("u1");
    expect((await tokens.refresh(pair.refreshToken)).ok).toBe(true);
    expect(await tokens.refresh(pair.refreshToken)).toMatchObject({ reason: "reused" });
  });

  it("a token presented with another client binding is refused and the family revoked", async () => {
    const { tokens } = await setup(factory);
    const pair = await tokens.issue("u1", { binding: "client-a" });
    expect(await tokens.refresh(pair.refreshToken, { binding: "client-b" })).toEqual({
      ok: false,
      reason: "binding_mismatch",
    });
    expect(await tokens.refresh(pair.refreshToken, { binding: "client-a" })).toEqual({
      ok: false,
      reason: "revoked",
    });
  });

  it("binding mismatch without family revocation when configured off", async () => {
    const { tokens } = await setup(factory, { revokeOnBindingMismatch: false });
    const pair = await tokens.issue("u1", { binding: "client-a" });
    expect(await tokens.refresh(pair.refreshToken)).toMatchObject({ reason: "binding_mismatch" });
    expect((await tokens.refresh(pair.refreshToken, { binding: "client-a" })).ok).toBe(true);
  });

  it("absolute family lifetime: refreshed daily, refused at 30 d + 1 s", async () => {
    const { tokens, clock } = await setup(factory, { refreshTtl: 14 * DAY, familyTtl: 30 * DAY });
    let token = (await tokens.issue("u1")).refreshToken;
    for (let day = 1; day < 30; day++) {
      clock.advance(DAY);
      const next = await tokens.refresh(token);
      if (!next.ok) throw new Error(`day ${day}: ${next.reason}`);
      // Access tokens never outlive the family.
      expect(next.pair.expiresIn).toBeLessThanOrEqual(600);
      token = next.pair.refreshToken;
    }
    clock.advance(DAY + 1);
    expect(await tokens.refresh(token)).toEqual({ ok: false, reason: "expired" });
  });

  it("idle expiry: unused for longer than refreshTtl is refused", async () => {
    const { tokens, clock } = await setup(factory, { refreshTtl: 14 * DAY });
    const a = await tokens.issue("u1");
    const b = await tokens.issue("u2");
    clock.advance(14 * DAY - 1);
    expect((await tokens.refresh(a.refreshToken)).ok).toBe(true);
    clock.advance(1);
    expect(await tokens.refresh(b.refreshToken)).toEqual({ ok: false, reason: "expired" });
  });

  it("access tokens of the last hours are capped at the family deadline", async () => {
    const { tokens, clock } = await setup(factory, { familyTtl: 3600, refreshTtl: 3600 });
    const pair = await tokens.issue("u1");
    clock.advance(3600 - 120);
    const next = await tokens.refresh(pair.refreshToken);
    expect(next.ok && next.pair.expiresIn).toBe(120);
  });

  it.each([
    ["empty", ""],
    ["short", "abc"],
    ["padded", `${"A".repeat(42)}=`],
    ["unknown", "A".repeat(43)],
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.e30.sig"],
    ["not a string", 42 as unknown as string],
  ])("refuses %s tokens as invalid without throwing", async (_label, token) => {
    const { tokens } = await setup(factory);
    expect(await tokens.refresh(token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("an access token is not a refresh token", async () => {
    const { tokens } = await setup(factory);
    const pair = await tokens.issue("u1");
    expect(await tokens.refresh(pair.accessToken)).toEqual({ ok: false, reason: "invalid" });
  });
});
