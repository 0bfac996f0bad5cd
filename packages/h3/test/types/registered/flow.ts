// Type test (compiled by `pnpm typecheck`, never run): Register names the
// manager, so event.context.session's types flow from createSessions in every
// handler, and a manager of other data does not compile.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { defineEventHandler } from "h3";
import { expectTypeOf } from "vitest";
import { sessionOf, withSession } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }, { notice: string }>({ keys });

declare module "../../../src/index.js" {
  interface Register {
    sessions: typeof sessions;
  }
}

// A helper handler that never names the manager, e.g. in another Nuxt file.
export const helper = defineEventHandler((event) => {
  expectTypeOf(event.context.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(event.context.session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
  // @ts-expect-error not a key of the registered data
  event.context.session.get("cart");
  return "ok";
});
export const wrapped = withSession(sessions, (event) => {
  expectTypeOf(event.context.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(sessionOf(event, sessions).get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error the registered data holds a number
  event.context.session.set("visits", "many");
  return "ok";
});

// @ts-expect-error a manager of other data than the registered one
withSession(createSessions<{ cart: string[] }>({ keys }), () => "ok");
// @ts-expect-error same data, other flash type
withSession(createSessions<{ visits: number }, { alert: number }>({ keys }), () => "ok");
