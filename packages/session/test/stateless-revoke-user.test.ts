/**
 * Stateless "log out everywhere" (`revokeUser` with a `revocationStore`) must
 * hold against requests already in flight: a request that loaded a stolen
 * cookie before the revocation and commits after it must not hand back a
 * cookie that outlives it.
 */
import { MemoryStore, type SessionStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createPrimitives } from "../src/lib/primitives.js";
import type { SessionRecord } from "../src/lib/record.js";
import { clock, expectEvent, Jar, MIN, SEC, setup } from "./helpers.js";

const NAME = "__Host-sid";

/**
 * A revocation store whose `get` answers are held back while `hold` is on:
 * the read happens at call time, the answer arrives when the test releases
 * it, so a `revokeUser` can land between the two.
 */
function delayingStore(inner: SessionStore) {
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const control = {
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open?.();
      gate = undefined;
    },
    /** `get` calls that read while held. */
    heldReads: 0,
  };
  const store: SessionStore = {
    async get(key) {
      const answer = await inner.get(key);
      if (gate !== undefined) {
        control.heldReads++;
        await gate;
      }
      return answer;
    },
    set: (key, entry, options) => inner.set(key, entry, options),
    touch: (key, expiresAt) => inner.touch(key, expiresAt),
    delete: (key) => inner.delete(key),
  };
  return { store, control };
}

/** A stateless manager whose revocation store (on the test's clock) can delay its answers. */
function revocable() {
  const c = clock();
  const inner = new MemoryStore({ sweepIntervalMs: 0, now: c.now });
  const delayed = delayingStore(inner);
  const t = setup({ revocationStore: delayed.store }, true, 0, c);
  return { ...t, inner, control: delayed.control };
}

/**
 * The victim logs in, an attacker copies the cookie, and two minutes later
 * a request with the copy loads and changes the session: `inflight`, not
 * yet committed.
 */
async function stolenInFlight() {
  const t = revocable();
  await t.request((s) => s.login("victim"));
  const stolen = t.jar.clone();
  t.clock.advance(2 * MIN);
  const inflight = await t.sessions.load(stolen.header());
  inflight.set("n", 1);
  return { ...t, stolen, inflight };
}

describe("stateless revokeUser against requests in flight", () => {
  // Regression: a request that loaded before revokeUser re-sealed the record on commit with a
  // newer lastSeenAt, and the re-issued cookie passed every later notBefore check.
  it("a request that loaded before revokeUser and commits after it clears the cookie instead of re-issuing it", async () => {
    const { jar, sessions, events, stolen, inflight } = await stolenInFlight();
    expect(inflight.userId).toBe("victim");
    await sessions.revokeUser("victim");
    const setCookies = await sessions.commit(inflight);
    stolen.apply(setCookies);
    // Nothing sealed is sent: the response clears the cookie it came with.
    expect(stolen.cookies.size).toBe(0);
    expect(setCookies.every((line) => line.includes("Max-Age=0"))).toBe(true);
    expect(inflight.isDestroyed).toBe(true);
    expectEvent(events, {
      type: "destroyed",
      reason: "revoked",
      session: expect.any(String),
    });
    // The victim's own copy is refused too.
    expect((await sessions.load(jar.header())).rejected).toBe("revoked");
  });

  it("a request that loaded before a logout elsewhere of the same session clears its cookie on commit", async () => {
    const { request, sessions, stolen, inflight } = await stolenInFlight();
    await request((s) => s.logout());
    stolen.apply(await sessions.commit(inflight));
    expect(stolen.cookies.size).toBe(0);
  });

  // Regression: the re-issued cookie of a request whose commit raced revokeUser stayed valid for hours.
  it("a cookie re-sealed while revokeUser was landing is refused on the next request", async () => {
    const { sessions, clock, control, stolen, inflight } = await stolenInFlight();
    // The commit's own revocation read happens before revokeUser's write and answers after it.
    control.hold();
    const committing = sessions.commit(inflight);
    await Promise.resolve();
    await sessions.revokeUser("victim");
    control.release();
    const setCookies = await committing;
    // The commit re-sealed (its read saw no revocation yet)...
    expect(setCookies.some((line) => !line.includes("Max-Age=0"))).toBe(true);
    stolen.apply(setCookies);
    // ...and that cookie is dead on arrival.
    for (const minutes of [0, 1, 20]) {
      clock.advance(minutes * MIN);
      const later = await sessions.load(stolen.header());
      expect(later.userId).toBeUndefined();
      expect(later.rejected).toBe("revoked");
    }
    expect(control.heldReads).toBeGreaterThan(0);
  });

  it("many requests straddling revokeUser: none leaves a cookie that is accepted afterwards", async () => {
    const { request, jar, sessions, clock } = revocable();
    await request((s) => s.login("victim"));
    const stolen = jar.clone();
    const loaded = [];
    for (let i = 0; i < 8; i++) {
      clock.advance(SEC);
      const s = await sessions.load(stolen.header());
      s.set("n", i);
      loaded.push(s);
    }
    const revoked = sessions.revokeUser("victim");
    const jars = await Promise.all(
      loaded.map(async (s) => {
        const j = stolen.clone();
        j.apply(await sessions.commit(s));
        return j;
      }),
    );
    await revoked;
    clock.advance(2 * MIN);
    for (const j of jars) expect((await sessions.load(j.header())).userId).toBeUndefined();
  });

  it("the kept session (except) survives later re-seals and a regenerate; a copy taken before the revocation does not", async () => {
    const { request, jar, sessions, clock } = revocable();
    await request((s) => s.login("victim"));
    const before = jar.clone();
    clock.advance(5 * SEC);
    await request(async (s) => {
      await sessions.revokeUser("victim", { except: s });
    });
    expect((await sessions.load(before.header())).rejected).toBe("revoked");
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * MIN);
      const { session, setCookies } = await request((s) => s.set("n", i));
      expect(session.userId).toBe("victim");
      expect(setCookies.length).toBeGreaterThan(0);
    }
    await request((s) => s.regenerate());
    clock.advance(2 * MIN);
    expect((await request((s) => s.set("n", 9))).session.userId).toBe("victim");
  });

  it("a login after revokeUser, even in the same millisecond, is not revoked", async () => {
    const { request, sessions } = revocable();
    await request((s) => s.login("victim"));
    await sessions.revokeUser("victim");
    const fresh = new Jar();
    await request((s) => s.login("victim"), fresh);
    const { session } = await request((s) => s.set("n", 1), fresh);
    expect(session.userId).toBe("victim");
    expect(session.rejected).toBeUndefined();
  });

  it("revokeUser with an except session whose commit already began throws ERR_SESSION_COMMITTED and revokes nothing", async () => {
    const { request, jar, sessions } = revocable();
    await request((s) => s.login("victim"));
    const s = await sessions.load(jar.header());
    const committing = sessions.commit(s);
    await expect(sessions.revokeUser("victim", { except: s })).rejects.toMatchObject({
      code: "ERR_SESSION_COMMITTED",
    });
    await committing;
    expect((await sessions.load(jar.header())).userId).toBe("victim");
  });

  it("a revocation store outage during the commit's re-check fails closed: commit rejects, no cookie", async () => {
    const c = clock();
    const inner = new MemoryStore({ sweepIntervalMs: 0, now: c.now });
    let failing = false;
    const store: SessionStore = {
      get: async (key) => {
        if (failing) {
          const { StoreUnavailableError } = await import("@tessera/store");
          throw new StoreUnavailableError("injected outage");
        }
        return inner.get(key);
      },
      set: (key, entry, options) => inner.set(key, entry, options),
      touch: (key, expiresAt) => inner.touch(key, expiresAt),
      delete: (key) => inner.delete(key),
    };
    const { request, jar, sessions, clock: cl } = setup({ revocationStore: store }, true, 0, c);
    await request((s) => s.login("victim"));
    cl.advance(2 * MIN);
    const s = await sessions.load(jar.header());
    s.set("n", 1);
    failing = true;
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
  });
});

describe("cookies sealed before this release (no keptAt member) after revokeUser", () => {
  /** Seals `record` the way the manager does, under the test's keyring. */
  async function sealedCookie(
    keys: ReturnType<typeof setup>["keys"],
    record: SessionRecord,
    now: number,
  ) {
    const sealed = await createPrimitives(keys, NAME).seal(record, NAME, 3600, now);
    return `${NAME}=${sealed}`;
  }

  it("an old record kept by revokeUser only through its lastSeenAt is refused (secure default): the user logs in again", async () => {
    const { sessions, keys, clock } = revocable();
    const t = clock.now();
    await sessions.revokeUser("victim");
    // What an older release sealed for the kept session: lastSeenAt moved past notBefore.
    const old: SessionRecord = {
      v: 1,
      createdAt: t - MIN,
      lastSeenAt: t + SEC,
      authTime: t - MIN,
      userId: "victim",
      data: {},
      sid: "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g",
    };
    clock.advance(2 * SEC);
    const s = await sessions.load(await sealedCookie(keys, old, clock.now()));
    expect(s.userId).toBeUndefined();
    expect(s.rejected).toBe("revoked");
  });

  it("an old record logged in after the revocation still loads; without authTime, createdAt decides", async () => {
    const { sessions, keys, clock } = revocable();
    const t = clock.now();
    await sessions.revokeUser("victim");
    clock.advance(SEC);
    const base = {
      v: 1 as const,
      lastSeenAt: t + SEC,
      userId: "victim",
      data: {},
      sid: "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g",
    };
    const after = await sessions.load(
      await sealedCookie(keys, { ...base, createdAt: t + SEC, authTime: t + SEC }, clock.now()),
    );
    expect(after.userId).toBe("victim");
    const noAuthBefore = await sessions.load(
      await sealedCookie(keys, { ...base, createdAt: t - MIN }, clock.now()),
    );
    expect(noAuthBefore.rejected).toBe("revoked");
    const noAuthAfter = await sessions.load(
      await sealedCookie(keys, { ...base, createdAt: t + SEC }, clock.now()),
    );
    expect(noAuthAfter.userId).toBe("victim");
  });
});
