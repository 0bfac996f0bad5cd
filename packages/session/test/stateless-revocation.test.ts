/**
 * Revocation of sealed cookies with a small store: without one, stateless
 * logout only clears the cookie; with one, a per-user notBefore and a denied
 * session id refuse copies issued before them.
 */
import { readFileSync } from "node:fs";
import { MemoryStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { clock, expectEvent, MIN, SEC, setup, spyStore } from "./helpers.js";

const NAME = "__Host-sid";

/** A stateless manager with a revocation store; both read the test's clock. */
function revocable() {
  const c = clock();
  const revocation = spyStore(new MemoryStore({ sweepIntervalMs: 0, now: c.now }));
  const t = setup({ revocationStore: revocation.store }, true, 0, c);
  return { ...t, revocation };
}

/** Flips the two padding bits of the last character of the last JWE segment (same bytes, new string). */
function flipPadding(sealed: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = sealed.at(-1)!;
  const index = alphabet.indexOf(last);
  // A 16-byte tag is 22 base64url characters: the last one carries 2 data bits and 4 padding bits.
  return sealed.slice(0, -1) + alphabet[index ^ 0b0001]!;
}

describe("stateless logout with revocationStore", () => {
  it("logout denies the sid: the pre-logout copy is rejected; serverSideRevoked is true", async () => {
    const { request, jar, sessions, events } = revocable();
    await request((s) => s.login("u1"));
    const copy = jar.clone();
    const { result } = await request((s) => s.logout());
    expect(result).toEqual({ serverSideRevoked: true });
    const replay = await sessions.load(copy.header());
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("revoked");
    expectEvent(events, { type: "rejected", reason: "revoked" });
  });

  it("re-encodings of the same token (appended =, flipped padding bits) do not bypass the deny list", async () => {
    const { request, jar, sessions } = revocable();
    await request((s) => s.login("u1"));
    const sealed = jar.cookies.get(NAME)!;
    await request((s) => s.logout());
    expect(flipPadding(sealed)).not.toBe(sealed);
    for (const variant of [sealed, `${sealed}=`, flipPadding(sealed), `${flipPadding(sealed)}=`]) {
      const s = await sessions.load(`${NAME}=${variant}`);
      expect(s.userId).toBeUndefined();
      expect(s.rejected).toBeDefined();
    }
  });

  it("the deny entry is keyed by the payload's sid (not the cookie) and lasts until the absolute deadline", async () => {
    const { request, revocation, sessions, jar } = revocable();
    const { session } = await request((s) => s.login("u1"));
    const sid = (session as unknown as { token: string }).token;
    const sealed = jar.cookies.get(NAME)!;
    await request((s) => s.logout());
    const { hashToken } = await import("@tessera/signing");
    const entry = await revocation.inner.get(hashToken(`tessera-revoked-sid:${sid}`));
    expect(entry).not.toBeNull();
    expect(entry!.expiresAt).toBe(session.createdAt + 12 * 60 * MIN);
    expect(await revocation.inner.get(hashToken(sealed))).toBeNull();
    expect(sessions).toBeDefined();
  });

  it("revokeUser sets notBefore: every cookie sealed before it is rejected, the kept one survives", async () => {
    const { request, jar, sessions, clock } = revocable();
    await request((s) => s.login("u1"));
    const laptop = jar.clone();
    const phone = await (async () => {
      const { Jar } = await import("./helpers.js");
      const j = new Jar();
      await request((s) => s.login("u1"), j);
      return j;
    })();
    clock.advance(5 * SEC);
    await request(async (s) => {
      expect(await sessions.revokeUser("u1", { except: s })).toBe(0);
    }, phone);
    expect((await sessions.load(laptop.header())).rejected).toBe("revoked");
    expect((await sessions.load(phone.header())).userId).toBe("u1");
    // Another user is untouched.
    const { session: other } = await request((s) => s.login("u2"));
    expect(other.userId).toBe("u2");
  });

  it("logout after a regenerate denies the replaced cookie too", async () => {
    const { request, jar, sessions } = revocable();
    await request((s) => s.login("u1"));
    const before = jar.clone();
    await request((s) => s.regenerate());
    expect((await sessions.load(before.header())).rejected).toBe("revoked");
  });

  it("a revocation store outage fails closed: load rejects with the store error", async () => {
    const { request, jar, sessions, revocation } = revocable();
    await request((s) => s.login("u1"));
    revocation.fail.add("get");
    await expect(sessions.load(jar.header())).rejects.toMatchObject({
      code: "ERR_STORE_UNAVAILABLE",
    });
  });

  it("a failed deny write rejects logout, is retried, and is enforced in-process meanwhile", async () => {
    const { request, jar, sessions, revocation } = revocable();
    await request((s) => s.login("u1"));
    const copy = jar.clone();
    revocation.fail.add("set");
    const s = await sessions.load(jar.header());
    await expect(s.logout()).rejects.toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
    expect((await sessions.load(copy.header())).rejected).toBe("revoked");
    revocation.fail.delete("set");
    expect(await sessions.retryPending()).toBe(0);
    expect((await sessions.load(copy.header())).rejected).toBe("revoked");
  });

  it("revocation off: replay accepted until expiry and serverSideRevoked false; the README says so", async () => {
    const { request, jar, sessions, clock } = setup({}, true);
    await request((s) => s.login("u1"));
    const copy = jar.clone();
    const { result } = await request((s) => s.logout());
    expect(result).toEqual({ serverSideRevoked: false });
    expect((await sessions.load(copy.header())).userId).toBe("u1");
    clock.advance(31 * MIN);
    expect((await sessions.load(copy.header())).userId).toBeUndefined();
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    expect(readme).toContain(
      "Without `revocationStore`, logout in stateless mode only clears the cookie.",
    );
    expect(readme).toContain("`{ serverSideRevoked: false }`");
  });

  it("revocationStore needs stateless mode and a store", () => {
    expect(() => setup({ revocationStore: new MemoryStore() })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
    expect(() => setup({ revocationStore: {} as MemoryStore }, true)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });
});
