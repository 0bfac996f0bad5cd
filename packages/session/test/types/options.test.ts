import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createSessions,
  type SealedSessionsOptions,
  type Sessions,
  type SessionsOptions,
  type StoredSessionsOptions,
} from "../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const store = new MemoryStore({ sweepIntervalMs: 0 });

interface Data {
  cart: number[];
}

/** createSessions with options a type error let through, as plain JavaScript would pass them. */
function untyped(options: object): () => unknown {
  return () => createSessions(options as SessionsOptions);
}

describe("options of one mode only", () => {
  // Regression: five options valid in one mode only were refused only at run time.
  it("are type errors in the other mode", () => {
    const neverRun = (): void => {
      // @ts-expect-error encryptAtRest needs a store (a sealed cookie is always encrypted)
      createSessions({ keys, encryptAtRest: true });
      // @ts-expect-error tokenMode "authorization" needs a store
      createSessions({ keys, tokenMode: "authorization" });
      // @ts-expect-error renewAfter needs a store
      createSessions({ keys, renewAfter: 900 });
      // @ts-expect-error maxSessionsPerUser needs a store
      createSessions({ keys, maxSessionsPerUser: 3 });
      // @ts-expect-error revocationStore is for sealed mode only
      createSessions({ keys, store, revocationStore: store });
    };
    expectTypeOf(neverRun).toBeFunction();
  });

  it.each([
    ["encryptAtRest", { keys, encryptAtRest: true }],
    ["tokenMode", { keys, tokenMode: "authorization" }],
    ["renewAfter", { keys, renewAfter: 900 }],
    ["maxSessionsPerUser", { keys, maxSessionsPerUser: 3 }],
    ["revocationStore", { keys, store, revocationStore: store }],
  ])("and still fail at startup: %s", (_name, options) => {
    expect(untyped(options)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });

  it("are accepted in their own mode, and Data is still inferred from the type argument", () => {
    const stored: StoredSessionsOptions = {
      keys,
      store,
      encryptAtRest: true,
      tokenMode: "authorization",
      renewAfter: 900,
      maxSessionsPerUser: 3,
    };
    const sealed: SealedSessionsOptions = { keys, revocationStore: store };
    expectTypeOf(createSessions<Data>(stored)).toEqualTypeOf<Sessions<Data>>();
    expectTypeOf(createSessions<Data>(sealed)).toEqualTypeOf<Sessions<Data>>();
    expect(createSessions(stored).mode).toBe("stateful");
    expect(createSessions(sealed).mode).toBe("stateless");
  });
});
