/**
 * Tessera's side of the store-backed HTTP benchmarks (Redis, Memcached, SQL):
 * @tessera/express on an Express app, the same way an application would use
 * it, with the session counter every peer's handler also serves.
 */
import type { SessionStore } from "@tessera/store";
import type { Express, Request, Response } from "express";

/** How {@link mountTessera} sets the app up. */
export interface TesseraSide {
  /** The store under test. */
  store: SessionStore;
  /** A persistent cookie (Max-Age, re-sent on every change) instead of a browser-session one. */
  persistent: boolean;
  /** Called once per counted request (the bench's requests-served figure). */
  onRequest(): void;
  /** Writes the counter the way the peer's handler does, so both bodies match. */
  reply(res: Response, n: number): void;
  /**
   * Signs the session in on its first visit (`login` with a user id of its
   * own), so every later write also keeps the store's per-user index.
   */
  signIn?: boolean;
}

/**
 * Mounts the session middleware, `GET /` (load, increment, save: a changed
 * session) and `GET /read` (load, read: an unchanged one), and an error
 * handler that logs and answers 503, because the load driver fails a run on
 * any non-2xx and should say why first.
 */
export async function mountTessera(app: Express, side: TesseraSide): Promise<void> {
  const { createSessions } = await import("@tessera/session");
  const { createKeyring, randomToken } = await import("@tessera/signing");
  // @tessera/express is not a dependency of apps/bench; read its build directly.
  const { sessionMiddleware } = await import("../../../packages/express/dist/index.js");
  const sessions = createSessions<{ n: number }>({
    keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
    store: side.store,
    ...(side.persistent ? { cookie: { persistent: true } } : {}),
  });
  app.use(sessionMiddleware(sessions));
  type Counter = {
    get(k: "n"): number | undefined;
    set(k: "n", v: number): void;
    readonly userId: string | undefined;
    login(userId: string): Promise<void>;
  };
  const count = (session: Counter, res: Response): void => {
    const n = (session.get("n") ?? 0) + 1;
    session.set("n", n);
    side.reply(res, n);
  };
  let users = 0;
  app.get("/", (req, res, next) => {
    side.onRequest();
    const session = req.session as unknown as Counter;
    // Only the first visit signs in; the measured requests stay synchronous, as the peer's.
    if (side.signIn && session.userId === undefined) {
      session.login(`user-${++users}`).then(() => count(session, res), next);
      return;
    }
    count(session, res);
  });
  app.get("/read", (req, res) => {
    side.onRequest();
    side.reply(res, (req.session as unknown as Counter).get("n") ?? 0);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: () => void) => {
    console.error("tessera side:", error);
    res.status(503).end();
  });
}
