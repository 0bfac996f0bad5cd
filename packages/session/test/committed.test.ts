import { MemoryStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions, type Session, SessionError } from "../src/index.js";
import { SessionImpl } from "../src/lib/session-impl.js";
import { clock, keyring } from "./helpers.js";

type Data = { n: number; cart: number[] };
type Flash = { notice: string };
type S = Session<Data, Flash>;

/** Every public mutator, with a call that would change the session after its headers may have gone out. */
const MUTATORS: ReadonlyArray<[string, (s: S) => unknown]> = [
  ["set", (s) => s.set("n", 2)],
  ["delete", (s) => s.delete("n")],
  ["persist", (s) => s.persist()],
  ["setPersistent", (s) => s.setPersistent(true)],
  ["flash", (s) => s.flash("notice", "again")],
  ["consumeFlash", (s) => s.consumeFlash("notice")],
  ["regenerate", (s) => s.regenerate()],
  ["login", (s) => s.login("u_2")],
  ["elevate", (s) => s.elevate()],
  ["logout", (s) => s.logout()],
  ["destroy", (s) => s.destroy()],
];

/** Every public read, with the value it must still give after the commit began. */
const READS: ReadonlyArray<[string, (s: S) => unknown, unknown]> = [
  ["get", (s) => s.get("n"), 1],
  ["has", (s) => s.has("n"), true],
  ["toJSON", (s) => ({ ...s.toJSON() }), { n: 1 }],
  ["isFresh", (s) => s.isFresh(60), true],
  ["requireFresh", (s) => s.requireFresh(60), undefined],
  ["verifyCsrf", (s) => s.verifyCsrf("x"), false],
  // Allowed on a stored session: it changes nothing (a streamed form may need it).
  ["csrfToken", async (s) => typeof (await s.csrfToken()), "string"],
];

/** Members of the implementation that are not part of the public Session API. */
const INTERNAL = new Set([
  "constructor",
  "updateMeta",
  "writable",
  "hasContent",
  "isDirty",
  "rotate",
  "enforceLimit",
  "ensureIdentity",
  "ownChanges",
]);

async function stored(mode: "stateful" | "stateless") {
  const c = clock();
  const sessions = createSessions<Data, Flash>({
    keys: keyring(),
    now: c.now,
    ...(mode === "stateful" ? { store: new MemoryStore({ now: c.now, sweepIntervalMs: 0 }) } : {}),
  });
  const first = await sessions.load("");
  first.set("n", 1);
  await first.login("u_1", { carryOver: ["n"] });
  first.flash("notice", "hi");
  const line = (await sessions.commit(first))[0]!;
  const session = await sessions.load(line.slice(0, line.indexOf(";")));
  expect(session.userId).toBe("u_1");
  return { sessions, session };
}

async function outcome(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return "ok";
  } catch (error) {
    return SessionError.isInstance(error) ? error.code : error;
  }
}

describe("changes after the commit began throw, never silently lost", () => {
  it("classifies every public method as a read or a mutator (a new one must be added here)", () => {
    const names = Object.getOwnPropertyNames(SessionImpl.prototype).filter((name) => {
      const d = Object.getOwnPropertyDescriptor(SessionImpl.prototype, name)!;
      return typeof d.value === "function" && !INTERNAL.has(name);
    });
    const known = [...MUTATORS.map(([n]) => n), ...READS.map(([n]) => n)];
    expect(names.sort()).toEqual(known.sort());
  });

  describe.each(["stateful", "stateless"] as const)("%s", (mode) => {
    it.each(MUTATORS)("%s throws ERR_SESSION_COMMITTED once commit started", async (_, call) => {
      const { sessions, session } = await stored(mode);
      const committing = sessions.commit(session);
      expect(await outcome(() => call(session))).toBe("ERR_SESSION_COMMITTED");
      await committing;
      // And after it finished: the session is spent.
      expect(await outcome(() => call(session))).toBe("ERR_SESSION_COMMITTED");
      expect(session.get("n")).toBe(1);
      expect(session.isDestroyed).toBe(false);
    });

    it.each(MUTATORS)("%s works before the commit", async (_, call) => {
      const { session } = await stored(mode);
      expect(await outcome(() => call(session))).toBe("ok");
    });

    it.each(READS)("%s keeps working after the commit", async (_, call, expected) => {
      const { sessions, session } = await stored(mode);
      await sessions.commitHeaders(session);
      expect(await call(session)).toEqual(expected);
      expect(session.userId).toBe("u_1");
      expect(session.isNew).toBe(false);
    });
  });

  it("a synchronous throw for synchronous mutators, a rejection for async ones", async () => {
    const { sessions, session } = await stored("stateful");
    void sessions.commit(session);
    expect(() => session.set("n", 3)).toThrow(SessionError);
    await expect(session.login("u_9")).rejects.toMatchObject({ code: "ERR_SESSION_COMMITTED" });
  });

  it("csrfToken on a new, never stored session is a change: refused after the commit began", async () => {
    const sessions = createSessions({ keys: keyring(), store: new MemoryStore() });
    const session = await sessions.load("");
    expect(await sessions.commit(session)).toEqual([]);
    await expect(session.csrfToken()).rejects.toMatchObject({ code: "ERR_SESSION_COMMITTED" });
  });

  it("a late change never reaches the store", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const sessions = createSessions<Data>({ keys: keyring(), store });
    const session = await sessions.load("");
    session.set("n", 1);
    const line = (await sessions.commit(session))[0]!;
    expect(() => session.set("n", 2)).toThrow(/commit began/);
    expect(await sessions.commit(session)).toEqual([]);
    const again = await sessions.load(line.slice(0, line.indexOf(";")));
    expect(again.get("n")).toBe(1);
  });
});
