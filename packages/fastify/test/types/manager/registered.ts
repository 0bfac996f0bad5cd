// Type test (compiled by `pnpm typecheck`, never run): Register names the
// manager, so request.session's types flow from createSessions and a
// manager of other data in the plugin options does not compile.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import Fastify from "fastify";
import { expectTypeOf } from "vitest";
import { fastifySessions, type RequestSession, sessionOf } from "../../../src/index.js";

// The README quick start, as written there, under strict.
const sessions = createSessions<{ visits: number }>({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]), // load a real secret from your vault
  store: new MemoryStore(),
});
declare module "../../../src/index.js" {
  interface Register {
    sessions: typeof sessions;
  } // types request.session from the manager
}
const app = Fastify();
await app.register(fastifySessions, { sessions });
app.get("/", async (request) => {
  request.session.set("visits", (request.session.get("visits") ?? 0) + 1);
  return { visits: request.session.get("visits") };
});
await app.listen({ port: 3000 });

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
app.get("/types", async (request) => {
  expectTypeOf(request.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(request.session).toEqualTypeOf<RequestSession>();
  expectTypeOf(sessionOf(request, sessions).get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the registered data
  request.session.get("cart");
  // @ts-expect-error the registered data holds a number
  request.session.set("visits", "many");
  return "ok";
});

// Options as a function of the instance are checked too.
app.register(fastifySessions, () => ({ sessions, prefix: "/a" }));
app.register(fastifySessions, { sessions, meta: (request) => ({ ip: request.ip }) });

const cart = createSessions<{ cart: string[] }>({ keys });
const more = createSessions<{ visits: number; cart: string[] }>({ keys });
const untyped = createSessions({ keys });
const alert = createSessions<{ visits: number }, { alert: number }>({ keys });
// @ts-expect-error a manager of other data than the registered one (the drift issue 21 reported)
app.register(fastifySessions, { sessions: cart });
// @ts-expect-error a manager of more keys than registered: request.session would hide them
app.register(fastifySessions, { sessions: more });
// @ts-expect-error a manager of untyped data
app.register(fastifySessions, { sessions: untyped });
// @ts-expect-error same data, other flash type
app.register(fastifySessions, { sessions: alert });
// @ts-expect-error a mismatched manager from an options function
app.register(fastifySessions, () => ({ sessions: cart }));
