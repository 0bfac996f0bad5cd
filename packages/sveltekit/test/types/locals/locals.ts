// Type test (compiled by `pnpm typecheck`, never run): `App.Locals` declared
// with SessionLocals types `locals.session` in handlers, and a manager whose
// data or flash types differ from it does not compile with sessionHandle.
import type { RequestEvent } from "@sveltejs/kit";
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { expectTypeOf } from "vitest";
import { type SessionLocals, sessionHandle } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }, { notice: string }>({
  keys,
  store: new MemoryStore(),
});

declare global {
  namespace App {
    interface Locals extends SessionLocals<typeof sessions> {}
  }
}

export const handle = sessionHandle(sessions);

export function load({ locals }: RequestEvent) {
  expectTypeOf(locals.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(locals.session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
  // @ts-expect-error: visits is a number
  locals.session.set("visits", "many");
  return { visits: locals.session.get("visits") ?? 0 };
}

const other = createSessions<{ cart: number[] }, { notice: string }>({
  keys,
  store: new MemoryStore(),
});
// @ts-expect-error: App.Locals declares the other manager's session
sessionHandle(other);

const moreFlash = createSessions<{ visits: number }, { notice: string; error: string }>({
  keys,
  store: new MemoryStore(),
});
// @ts-expect-error: the flash types differ too
sessionHandle(moreFlash);
