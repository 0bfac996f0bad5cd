// Type test (compiled by `pnpm typecheck`, never run): nothing registered.
// The wrapped handler's event.context.session is typed from the manager;
// elsewhere it is unknown, and sessionOf gives the manager's types.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { createApp, defineEventHandler, type H3Event, sendRedirect, toNodeListener } from "h3";
import { expectTypeOf } from "vitest";
import { type SessionEvent, sessionOf, withSession } from "../../../src/index.js";

// The README quick start, as written there, under strict.
const sessions = createSessions<{ visits: number }>({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]), // load a real secret from your vault
  store: new MemoryStore(),
});
const app = createApp();
app.use(
  "/visits",
  withSession(sessions, (event) => {
    const session = event.context.session; // Session<{ visits: number }>
    session.set("visits", (session.get("visits") ?? 0) + 1);
    return { visits: session.get("visits") };
  }),
);
toNodeListener(app);

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);

export const typed = withSession(sessions, async (event) => {
  expectTypeOf(event.context.session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  expectTypeOf(event.context.session.get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the manager's data
  event.context.session.get("cart");
  // @ts-expect-error the manager's data holds a number
  event.context.session.set("visits", "many");
  // h3's own context members and helpers still work on the event.
  expectTypeOf(event.context.params).toEqualTypeOf<Record<string, string> | undefined>();
  await event.context.session.login("u_1");
  return sendRedirect(event, "/");
});

// The handler's return type is kept (plus the Response a failure answers with).
const json = withSession(sessions, () => ({ ok: true as const }));
expectTypeOf<Awaited<ReturnType<typeof json>>>().toEqualTypeOf<{ ok: true } | Response>();

export const plain = defineEventHandler((event) => {
  expectTypeOf(event.context.session).toEqualTypeOf<unknown>();
  const session = sessionOf(event, sessions);
  expectTypeOf(session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  // @ts-expect-error the manager's data holds a number
  session.set("visits", "many");
  return "ok";
});

function visits(event: SessionEvent<{ visits: number }>): number {
  return event.context.session.get("visits") ?? 0;
}
withSession(sessions, (event) => visits(event));
// @ts-expect-error a plain event carries no typed session
visits({} as H3Event);

// Any manager is accepted when nothing is registered.
withSession(createSessions<{ cart: string[] }, { notice: string }>({ keys }), () => "ok");
