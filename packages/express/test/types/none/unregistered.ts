// Type test (compiled by `pnpm typecheck`, never run): nothing registered.
// Any manager is accepted; req.session holds unknown values, and sessionOf
// gives the manager's own types in a route.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import express from "express";
import { expectTypeOf } from "vitest";
import { sessionMiddleware, sessionOf } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }>({ keys });

const app = express();
app.use(sessionMiddleware(sessions));
app.use(sessionMiddleware(createSessions<{ cart: string[] }>({ keys })));
app.get("/", (req, res) => {
  expectTypeOf(req.session).toEqualTypeOf<Session<SessionData, SessionData>>();
  const session = sessionOf(req, sessions);
  expectTypeOf(session).toEqualTypeOf<Session<{ visits: number }, SessionData>>();
  session.set("visits", (session.get("visits") ?? 0) + 1);
  // @ts-expect-error the manager's data holds a number
  session.set("visits", "many");
  res.send(`visit #${session.get("visits")}`);
});
