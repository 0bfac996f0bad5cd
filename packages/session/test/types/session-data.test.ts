import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { describe, expectTypeOf, it } from "vitest";
import { createSessions } from "../../src/create-sessions.js";
import type { Session } from "../../src/session.js";

interface Data {
  cart: number[];
  theme: "light" | "dark";
}

describe("types carry the session data shape", () => {
  it("get/set/flash are typed by Data and Flash", async () => {
    const sessions = createSessions<Data, { notice: string }>({
      keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
      store: new MemoryStore({ sweepIntervalMs: 0 }),
    });
    const session = await sessions.load("");
    expectTypeOf(session).toEqualTypeOf<Session<Data, { notice: string }>>();
    expectTypeOf(session.get("cart")).toEqualTypeOf<number[] | undefined>();
    expectTypeOf(session.get("theme")).toEqualTypeOf<"light" | "dark" | undefined>();
    expectTypeOf(session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
    expectTypeOf(sessions.commit(session)).toEqualTypeOf<Promise<string[]>>();
    const neverRun = (): void => {
      // @ts-expect-error unknown key
      session.get("nope");
      // @ts-expect-error wrong value type
      session.set("theme", "blue");
      // @ts-expect-error carryOver only accepts keys of Data
      void session.login("u1", { carryOver: ["role"] });
      // @ts-expect-error userId is read-only
      session.userId = "admin";
    };
    expectTypeOf(neverRun).toBeFunction();
  });
});

describe("revokeUser keeps a session of the manager's own types", () => {
  // Regression: `except` was typed `Session<never, never> | Session`, which a
  // session whose data type is an interface (no index signature) does not fit.
  it("accepts the manager's session when Data is an interface", () => {
    const sessions = createSessions<Data>({
      keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
      store: new MemoryStore({ sweepIntervalMs: 0 }),
    });
    const neverRun = async (): Promise<void> => {
      const session = await sessions.load("");
      await sessions.revokeUser("u1", { except: session });
    };
    expectTypeOf(neverRun).toBeFunction();
  });
});
