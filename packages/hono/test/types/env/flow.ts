// Type test (compiled by `pnpm typecheck`, never run): the session's types
// flow from the manager through the app's Env, and an explicit Env that
// names another session type does not compile with that manager.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { Hono, type MiddlewareHandler } from "hono";
import { expectTypeOf } from "vitest";
import { type SessionVariables, sessionMiddleware } from "../../../src/index.js";

// The README quick start, as written there, under strict.
const sessions = createSessions<{ visits: number }>({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]), // load a real secret from your vault
  store: new MemoryStore(),
});
const app = new Hono().use(sessionMiddleware(sessions)); // c.get("session") typed from the manager
app.get("/", (c) => {
  const session = c.get("session");
  session.set("visits", (session.get("visits") ?? 0) + 1);
  return c.text(`visit #${session.get("visits")}`);
});
const response = await app.request("https://example.test/");
console.log(await response.text(), response.headers.getSetCookie());

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
type Visits = { visits: number };

// Chained, with a path, and beside an Env the app names for other things.
new Hono().use("*", sessionMiddleware(sessions)).get("/", (c) => {
  expectTypeOf(c.get("session").get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the manager's data
  c.get("session").get("cart");
  // @ts-expect-error the manager's data holds a number
  c.get("session").set("visits", "many");
  return c.text("ok");
});
new Hono<{ Bindings: { TOKEN: string } }>().use(sessionMiddleware(sessions)).get("/", (c) => {
  expectTypeOf(c.env.TOKEN).toEqualTypeOf<string>();
  expectTypeOf(c.get("session")).toEqualTypeOf<Session<Visits, SessionData>>();
  return c.text("ok");
});

// An explicit Env: its session variable is checked against the manager.
type AppEnv = {
  Bindings: { TOKEN: string };
  Variables: SessionVariables<Visits> & { user?: string };
};
const session: MiddlewareHandler<AppEnv> = sessionMiddleware(sessions);
new Hono<AppEnv>().use(session).get("/", (c) => {
  c.set("user", "u_1");
  expectTypeOf(c.get("session").get("visits")).toEqualTypeOf<number | undefined>();
  return c.text("ok");
});
new Hono<AppEnv>().use(sessionMiddleware(sessions) satisfies MiddlewareHandler<AppEnv>);
sessionMiddleware<Visits, SessionData, AppEnv>(sessions);

{
  // The README's explicit Env, as written there.
  type AppEnv = { Variables: SessionVariables<{ visits: number }> & { user?: string } };
  const session: MiddlewareHandler<AppEnv> = sessionMiddleware(sessions); // checked against AppEnv
  const app = new Hono<AppEnv>().use(session);
  app.get("/", (c) => c.text(`visit #${c.get("session").get("visits") ?? 0}`));
}

type CartEnv = { Variables: SessionVariables<{ cart: string[] }> };
// @ts-expect-error the Env names another data type than the manager's (the drift issue 21 reported)
export const cart: MiddlewareHandler<CartEnv> = sessionMiddleware(sessions);
const more = createSessions<{ visits: number; cart: string[] }>({ keys });
const alert = createSessions<Visits, { alert: number }>({ keys });
// @ts-expect-error the Env names fewer keys than the manager's data
export const fewer: MiddlewareHandler<AppEnv> = sessionMiddleware(more);
// @ts-expect-error same data, other flash type
sessionMiddleware(alert) satisfies MiddlewareHandler<AppEnv>;
// @ts-expect-error the Env given as a type argument names other data
sessionMiddleware<Visits, SessionData, CartEnv>(sessions);
