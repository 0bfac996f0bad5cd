import { MemoryStore } from "@tessera/store";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createSessions,
  isSessions,
  type MatchesDeclaredSession,
  type MatchesRegisteredManager,
  type RegisteredDataOf,
  type RegisteredFlashOf,
  type RegisteredManager,
  type RegisteredSessionOf,
  type Session,
  type SessionData,
  type Sessions,
} from "../src/index.js";
import { keyring } from "./helpers.js";

describe("isSessions", () => {
  it("accepts the manager createSessions returns", () => {
    const sessions = createSessions({ keys: keyring(), store: new MemoryStore() });
    expect(isSessions(sessions)).toBe(true);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "sessions"],
    ["a function", () => undefined],
    ["an object without load", { commitHeaders: () => undefined }],
    ["an object without commitHeaders", { load: () => undefined }],
    ["an options object", { keys: [], store: {} }],
  ])("refuses %s", (_label, value) => {
    expect(isSessions(value)).toBe(false);
  });
});

type Visits = { visits: number };
type Notice = { notice: string };

describe("Register type resolution", () => {
  it("reads the data and flash types from a registered manager", () => {
    type R = { sessions: Sessions<Visits, Notice> };
    expectTypeOf<RegisteredManager<R>>().toEqualTypeOf<[Visits, Notice]>();
    expectTypeOf<RegisteredDataOf<R>>().toEqualTypeOf<Visits>();
    expectTypeOf<RegisteredFlashOf<R>>().toEqualTypeOf<Notice>();
    expectTypeOf<RegisteredSessionOf<R>>().toEqualTypeOf<Session<Visits, Notice>>();
  });

  it("reads data and flash registered directly, and falls back to SessionData", () => {
    expectTypeOf<RegisteredDataOf<{ data: Visits }>>().toEqualTypeOf<Visits>();
    expectTypeOf<RegisteredFlashOf<{ data: Visits }>>().toEqualTypeOf<SessionData>();
    expectTypeOf<RegisteredFlashOf<{ flash: Notice }>>().toEqualTypeOf<Notice>();
    // biome-ignore lint/complexity/noBannedTypes: an empty Register, as an adapter declares it
    type Empty = {};
    expectTypeOf<RegisteredManager<Empty>>().toEqualTypeOf<undefined>();
    expectTypeOf<RegisteredDataOf<Empty>>().toEqualTypeOf<SessionData>();
    expectTypeOf<RegisteredSessionOf<Empty>>().toBeUnknown();
  });

  it("constrains a manager only when one is registered, and then to exactly its types", () => {
    type R = { sessions: Sessions<Visits, Notice> };
    expectTypeOf<MatchesRegisteredManager<{ data: Visits }, Notice, Notice>>().toBeUnknown();
    expectTypeOf<MatchesRegisteredManager<R, Visits, Notice>>().toBeUnknown();
    expectTypeOf<MatchesRegisteredManager<R, Visits & Notice, Notice>>().not.toBeUnknown();
    expectTypeOf<MatchesRegisteredManager<R, Visits, SessionData>>().not.toBeUnknown();
  });

  it("accepts a manager only of the declared request session's exact types", () => {
    expectTypeOf<MatchesDeclaredSession<Session<Visits, Notice>, Visits, Notice>>().toBeUnknown();
    expectTypeOf<
      MatchesDeclaredSession<Session<Visits, Notice>, Visits, SessionData>
    >().not.toBeUnknown();
    expectTypeOf<
      MatchesDeclaredSession<Session<Visits>, Visits & Notice, SessionData>
    >().not.toBeUnknown();
  });
});
