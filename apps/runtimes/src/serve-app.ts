import { createSessions, withSessions } from "@tessera/session";
import { createKeyring } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";

/** Fixed test-only secret: the serve check needs no vectors. */
const SECRET = "0YQux4N4UgfGJjSapDF7mdPHPmwL8TaiIXDYP_lnoPo";

type Data = { visits: number };

/**
 * The Fetch handler every runtime serves: `withSessions` over a stateful
 * MemoryStore. `/` counts visits, `/login` binds a user, `/whoami` reports
 * it, `/logout` ends the session.
 */
export function createApp(): {
  fetch: (request: Request) => Promise<Response>;
  close: () => Promise<void>;
} {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const sessions = createSessions<Data>({
    keys: createKeyring([{ id: "serve", secret: SECRET }]),
    store,
  });
  const fetch = withSessions(sessions, async (request, session) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/login") {
      await session.login("u_42");
      return Response.json({ userId: session.userId });
    }
    if (pathname === "/whoami") return Response.json({ userId: session.userId ?? null });
    if (pathname === "/logout") {
      await session.logout();
      return Response.json({ out: true });
    }
    session.set("visits", (session.get("visits") ?? 0) + 1);
    return Response.json({ visits: session.get("visits") });
  });
  return { fetch, close: () => store.close() };
}
