// Type test (compiled by `pnpm typecheck`, never run): the older Register
// form names the data type alone; the plugin still refuses a manager of
// other data, and leaves the unregistered flash type free.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import Fastify from "fastify";
import { expectTypeOf } from "vitest";
import { fastifySessions } from "../../../src/index.js";

declare module "../../../src/index.js" {
  interface Register {
    data: { visits: number };
  }
}

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const app = Fastify();
app.register(fastifySessions, { sessions: createSessions<{ visits: number }>({ keys }) });
app.register(fastifySessions, {
  sessions: createSessions<{ visits: number }, { notice: string }>({ keys }),
});
app.get("/", async (request) => {
  request.session.set("visits", (request.session.get("visits") ?? 0) + 1);
  expectTypeOf(request.session.get("visits")).toEqualTypeOf<number | undefined>();
  return "ok";
});

const cart = createSessions<{ cart: string[] }>({ keys });
const more = createSessions<{ visits: number; cart: string[] }>({ keys });
// @ts-expect-error a manager of other data than the registered one
app.register(fastifySessions, { sessions: cart });
// @ts-expect-error a manager of more keys than registered
app.register(fastifySessions, { sessions: more });
