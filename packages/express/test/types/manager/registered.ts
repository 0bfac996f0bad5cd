// Type test (compiled by `pnpm typecheck`, never run): Register names the
// manager, so req.session's types flow from createSessions and a manager of
// other data passed to the middleware does not compile.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import express from "express";
import { expectTypeOf } from "vitest";
import { sessionMiddleware, sessionOf } from "../../../src/index.js";

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const sessions = createSessions<{ visits: number }, { notice: string }>({ keys });

declare module "../../../src/index.js" {
  interface Register {
    sessions: typeof sessions;
  }
}

const app = express();
app.use(sessionMiddleware(sessions));
app.get("/", (req, res) => {
  // The README quick start, under strict.
  req.session.set("visits", (req.session.get("visits") ?? 0) + 1);
  expectTypeOf(req.session.get("visits")).toEqualTypeOf<number | undefined>();
  expectTypeOf(req.session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
  expectTypeOf(sessionOf(req, sessions).get("visits")).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a key of the registered data
  req.session.get("cart");
  // @ts-expect-error the registered data holds a number
  req.session.set("visits", "many");
  res.send(`visit #${req.session.get("visits")}`);
});

// @ts-expect-error a manager of other data than the registered one (the drift issue 21 reported)
sessionMiddleware(createSessions<{ cart: string[] }>({ keys }));
// @ts-expect-error same data, other flash type
sessionMiddleware(createSessions<{ visits: number }, { alert: number }>({ keys }));
