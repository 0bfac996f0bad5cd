// Type test (compiled by `pnpm typecheck`, never run): Register names the
// manager, so ctx.session's types flow from createSessions in every
// middleware, and a manager of other data does not compile.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import Koa from "koa";
import { expectTypeOf } from "vitest";
import { sessionMiddleware, sessionOf } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }, { notice: string }>({ keys });

declare module "../../../src/index.js" {
  interface Register {
    sessions: typeof sessions;
  }
}

const app = new Koa();
app.use(sessionMiddleware(sessions));
app.use((ctx) => {
  ctx.session.set("visits", (ctx.session.get("visits") ?? 0) + 1);
  expectTypeOf(ctx.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(ctx.session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
  expectTypeOf(sessionOf(ctx, sessions).get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the registered data
  ctx.session.get("cart");
  // @ts-expect-error the registered data holds a number
  ctx.session.set("visits", "many");
  ctx.body = `visit #${ctx.session.get("visits")}`;
});
// Chained, the types agree with the registration.
new Koa().use(sessionMiddleware(sessions)).use((ctx) => {
  expectTypeOf(ctx.session.get("visits")).toEqualTypeOf<number | undefined>();
});

// @ts-expect-error a manager of other data than the registered one
sessionMiddleware(createSessions<{ cart: string[] }>({ keys }));
// @ts-expect-error same data, other flash type
sessionMiddleware(createSessions<{ visits: number }, { alert: number }>({ keys }));
