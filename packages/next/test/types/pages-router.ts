// Type test (compiled by `pnpm typecheck`, never run): the session an API
// route gets has the data and flash types of createSessions<Data, Flash>(),
// and the wrapped route is what Next.js takes as a Pages Router API route.
import type { Session } from "@tessera/session";
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import type { NextApiHandler } from "next";
import { expectTypeOf } from "vitest";
import { type ApiSessionHandler, withApiSession } from "../../src/pages-router.js";

const sessions = createSessions<{ count: number; cart: string[] }, { notice: string }>({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
  store: new MemoryStore(),
});

const route = withApiSession(sessions, (req, res, session) => {
  expectTypeOf(session).toEqualTypeOf<
    Session<{ count: number; cart: string[] }, { notice: string }>
  >();
  expectTypeOf(session.get("count")).toEqualTypeOf<number | undefined>();
  expectTypeOf(session.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
  // @ts-expect-error the data holds a number under "count"
  session.set("count", "1");
  // @ts-expect-error not a key of the data
  session.get("visits");
  expectTypeOf(req.query).toEqualTypeOf<Partial<Record<string, string | string[]>>>();
  res.status(200).json({ count: session.get("count") ?? 0 });
});
export const handler: NextApiHandler = route;

// The README example, as written there (its `sessions` comes from the app's
// lib/session.ts): Next.js's types compile only with skipLibCheck, so the
// docs test skips that block and this compiles it.
export const readmeExample = withApiSession(sessions, async (req, res, session) => {
  if (req.method === "DELETE") {
    await session.logout(); // deleted in the store; the cookie cleared
    return res.status(204).end();
  }
  if (req.method === "POST") session.set("count", (session.get("count") ?? 0) + 1);
  res.json({ user: session.userId ?? null, count: session.get("count") ?? 0 });
});

// A typed response body flows through to `res.json`.
withApiSession<{ count: number; cart: string[] }, { notice: string }, { count: number }>(
  sessions,
  (_req, res, session) => {
    res.json({ count: session.get("count") ?? 0 });
    // @ts-expect-error the body type says count is a number
    res.json({ count: "one" });
  },
);

// A handler written for another manager's data does not fit this one.
const other: ApiSessionHandler<{ theme: string }> = (_req, res) => res.end();
// @ts-expect-error a handler of other session data than the manager's
withApiSession(sessions, other);
