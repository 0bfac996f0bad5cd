// Type test (compiled by `pnpm typecheck`, never run): the migration entry next
// to @types/express-session, which connect-redis's types need. Pins the bug where
// @tessera/express redeclared req.session and the app failed with TS2717.
import { createSessions, type Session, type SessionData } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import express from "express";
import type { Store } from "express-session";
import { expectTypeOf } from "vitest";
import { type LegacySessionStore, sessionMiddleware, sessionOf } from "../../../src/migrate.js";

declare const legacyStore: Store; // what connect-redis's RedisStore extends
const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ cart: number[] }>({ keys });

const app = express();
app.use(
  sessionMiddleware(sessions, {
    migrateFromExpressSession: {
      store: legacyStore satisfies LegacySessionStore,
      secrets: ["the old express-session secret"],
      map: (old) => ({ cart: old.cart as number[] }),
    },
  }),
);
app.get("/", (req, res) => {
  const session = sessionOf(req, sessions);
  expectTypeOf(session).toEqualTypeOf<Session<{ cart: number[] }, SessionData>>();
  // Where an express-session app read req.sessionID: the non-secret session id.
  expectTypeOf(session.id).toEqualTypeOf<string | undefined>();
  res.send(`items: ${session.get("cart")?.length ?? 0}`);
});
