// Type test (compiled by `pnpm typecheck`, never run): nothing registered.
// The app `use` returns types ctx.session from the manager; a plain app's
// ctx.session is unknown, and sessionOf gives the manager's types.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import Koa from "koa";
import { expectTypeOf } from "vitest";
import { sessionMiddleware, sessionOf } from "../../../src/index.js";

// The README quick start, as written there, under strict.
const sessions = createSessions<{ visits: number }>({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]), // load a real secret from your vault
  store: new MemoryStore(),
});
const app = new Koa().use(sessionMiddleware(sessions)); // ctx.session typed from the manager
app.use((ctx) => {
  ctx.session.set("visits", (ctx.session.get("visits") ?? 0) + 1);
  ctx.body = `visit #${ctx.session.get("visits")}`;
});
app.listen(3000);

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);

new Koa().use(sessionMiddleware(sessions)).use((ctx) => {
  expectTypeOf(ctx.session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  expectTypeOf(ctx.session.get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the manager's data
  ctx.session.get("cart");
  // @ts-expect-error the manager's data holds a number
  ctx.session.set("visits", "many");
  // Koa's own context members are still there.
  expectTypeOf(ctx.method).toEqualTypeOf<string>();
});

const plain = new Koa();
plain.use(sessionMiddleware(sessions));
plain.use((ctx) => {
  expectTypeOf(ctx.session).toEqualTypeOf<unknown>();
  const session = sessionOf(ctx, sessions);
  expectTypeOf(session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  // @ts-expect-error the manager's data holds a number
  session.set("visits", "many");
});

// Any manager is accepted when nothing is registered.
new Koa().use(sessionMiddleware(createSessions<{ cart: string[] }, { notice: string }>({ keys })));
