// Type test (compiled by `pnpm typecheck`, never run): nothing registered.
// Any manager is accepted; request.session holds unknown values, and
// sessionOf gives the manager's own types in a route.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import Fastify from "fastify";
import { expectTypeOf } from "vitest";
import { fastifySessions, sessionOf } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }>({ keys });

const app = Fastify();
await app.register(fastifySessions, { sessions });
app.register(fastifySessions, { sessions: createSessions<{ cart: string[] }>({ keys }) });
app.register(fastifySessions, () => ({ sessions }));
app.get("/", async (request) => {
  expectTypeOf(request.session).toEqualTypeOf<Session<SessionData, SessionData>>();
  const session = sessionOf(request, sessions);
  expectTypeOf(session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  session.set("visits", (session.get("visits") ?? 0) + 1);
  // @ts-expect-error the manager's data holds a number
  session.set("visits", "many");
  return { visits: session.get("visits") };
});
