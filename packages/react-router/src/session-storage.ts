import {
  failureResponseFor,
  type ResponseFacts,
  type Sessions,
  type Session as TesseraSession,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import type { FlashSessionData, Session, SessionStorage } from "react-router";
import { ReactRouterSessionError } from "./errors.js";

/**
 * A React Router `Session` backed by a Tessera session. `tessera` is the
 * session behind it, for what React Router's shape has no word for:
 * `login` (which regenerates the token), `logout`, `regenerate`,
 * `setPersistent`, `csrfToken`, `verifyCsrf`, `requireFresh`.
 *
 * @example
 * ```ts
 * const session = await storage.getSession(request.headers.get("Cookie"));
 * await session.tessera.login(user.id); // new token, old one deleted
 * ```
 */
export interface TesseraRouterSession<Data extends object, Flash extends object>
  extends Session<Data, Flash> {
  /** The Tessera session this one reads and writes. */
  readonly tessera: TesseraSession<Data, Flash>;
}

/**
 * React Router's `SessionStorage` over a Tessera manager, plus
 * `commitHeaders`, which sends everything the session needs (every
 * `Set-Cookie` field, `Cache-Control: no-store`, `Vary: Cookie`,
 * `Clear-Site-Data` after a logout) and follows the HEAD/OPTIONS/304 rule.
 *
 * @example
 * ```ts
 * const { getSession, commitSession, destroySession } = createTesseraSessionStorage(sessions);
 * ```
 */
export interface TesseraSessionStorage<Data extends object, Flash extends object>
  extends SessionStorage<Data, Flash> {
  /**
   * Loads the session the `Cookie` header names; a missing, tampered or
   * expired cookie gives a fresh session. A store outage throws a 503
   * `Response` (React Router answers with it).
   */
  getSession: (
    cookieHeader?: string | null,
    options?: object,
  ) => Promise<TesseraRouterSession<Data, Flash>>;
  /**
   * Commits the session when the response may record it (not on `HEAD`,
   * `OPTIONS` or `304`, as every Tessera adapter) and returns the headers to
   * send: pass them to `data(...)`, `redirect(...)` or a `Response`.
   */
  commitHeaders: (session: Session<Data, Flash>, facts: ResponseFacts) => Promise<Headers>;
}

interface State<Data extends object, Flash extends object> {
  tessera: TesseraSession<Data, Flash>;
  committed: boolean;
}

/** What a commit or load failure answers: React Router sends a thrown `Response` as it is. */
async function orFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw failureResponseFor(error);
  }
}

/** Per-call cookie options would fight the manager's own cookie settings; refuse them early. */
function refuseOptions(method: string, options: object | undefined): void {
  if (options === undefined) return;
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  if (given.length === 0) return;
  throw new ReactRouterSessionError(
    "ERR_REACT_ROUTER_UNSUPPORTED_OPTION",
    `${method} option ${given.map(([name]) => name).join(", ")} is not supported: cookie attributes come from createSessions({ cookie }), and "remember me" from session.tessera.setPersistent() or login(id, { persistent })`,
  );
}

/**
 * React Router 7's `SessionStorage` (also Remix's) on top of a Tessera
 * manager: an app that uses `createCookieSessionStorage` or
 * `createSessionStorage` switches by calling this instead, and keeps its
 * `getSession`, `commitSession` and `destroySession` calls. Sessions are
 * Tessera's (its store, timeouts, rotation and revocation); React Router's
 * `get`, `set`, `has`, `unset` and `flash` read and write them, and
 * `session.tessera` gives the rest (`login` regenerates the token).
 *
 * A load or commit that fails for a reason the request cannot fix throws
 * the `Response` that every Tessera adapter answers with (503 on a store
 * outage, 409 on a lost write race), which React Router sends as it is.
 * Only cookie mode: a manager with `tokenMode: "authorization"` is refused.
 *
 * @example
 * ```ts
 * import { createTesseraSessionStorage } from "@tessera/react-router";
 *
 * export const { getSession, commitSession, destroySession } = createTesseraSessionStorage(sessions);
 * ```
 */
export function createTesseraSessionStorage<Data extends object, Flash extends object>(
  sessions: Sessions<Data, Flash>,
): TesseraSessionStorage<Data, Flash> {
  // React Router's own load takes no request metadata: none is recorded.
  const adapter = new SessionAdapter<Data, Flash, undefined>(sessions, undefined, {
    defaultMeta: () => undefined,
    invalid: (message) => new ReactRouterSessionError("ERR_REACT_ROUTER_INVALID_OPTION", message),
    cookieOnly: "React Router's commitSession returns the session's cookie",
  });
  const states = new WeakMap<object, State<Data, Flash>>();

  const stateOf = (method: string, session: unknown): State<Data, Flash> => {
    const state = typeof session === "object" && session !== null ? states.get(session) : undefined;
    if (state === undefined) {
      throw new ReactRouterSessionError(
        "ERR_REACT_ROUTER_FOREIGN_SESSION",
        `${method} was given a session that this storage's getSession did not return`,
      );
    }
    return state;
  };

  /** The one Set-Cookie string React Router's API returns; more would need joining, which corrupts them. */
  const commitOne = async (method: string, state: State<Data, Flash>): Promise<string> => {
    state.committed = true;
    const { setCookie } = await orFailure(() => sessions.commitHeaders(state.tessera));
    if (setCookie.length > 1) {
      throw new ReactRouterSessionError(
        "ERR_REACT_ROUTER_MULTIPLE_COOKIES",
        `${method} needs ${setCookie.length} Set-Cookie fields, which one string cannot carry (a stateless session in chunks): send commitHeaders(session, facts) instead`,
      );
    }
    // Nothing changed, so nothing needs sending: an empty value, which browsers ignore.
    return setCookie[0] ?? "";
  };

  return {
    async getSession(cookieHeader, options) {
      refuseOptions("getSession", options);
      const tessera = await orFailure(() => adapter.load(cookieHeader, undefined));
      const state: State<Data, Flash> = { tessera, committed: false };
      const session = routerSession(state);
      states.set(session, state);
      return session;
    },
    async commitSession(session, options) {
      refuseOptions("commitSession", options);
      return commitOne("commitSession", stateOf("commitSession", session));
    },
    async destroySession(session, options) {
      refuseOptions("destroySession", options);
      const state = stateOf("destroySession", session);
      if (!state.tessera.isDestroyed) await orFailure(() => state.tessera.destroy());
      return commitOne("destroySession", state);
    },
    async commitHeaders(session, facts) {
      const state = stateOf("commitHeaders", session);
      state.committed = true;
      const out = await orFailure(() => adapter.finish(state.tessera, facts));
      const headers = new Headers(out.headers);
      // One field per cookie, never joined with ", " (RFC 9110 §5.3).
      for (const value of out.setCookie) headers.append("set-cookie", value);
      return headers;
    },
  };
}

type Key<Data extends object, Flash extends object> = (keyof Data | keyof Flash) & string;

/** React Router's session shape over one Tessera session. */
function routerSession<Data extends object, Flash extends object>(
  state: State<Data, Flash>,
): TesseraRouterSession<Data, Flash> {
  const { tessera } = state;
  // Tessera's keys are typed per Data/Flash; React Router's methods take the union of both.
  const data = tessera as unknown as TesseraSession<Record<string, unknown>>;
  const flash = tessera as unknown as TesseraSession<object, Record<string, unknown>>;
  return {
    tessera,
    get id() {
      // React Router's id is "" until the session has one.
      return tessera.id ?? "";
    },
    get data() {
      return tessera.toJSON() as FlashSessionData<Data, Flash>;
    },
    has(name: Key<Data, Flash>) {
      return data.has(name);
    },
    get(name: Key<Data, Flash>) {
      if (data.has(name)) return data.get(name);
      // Consuming a flash message is a change, which a started commit refuses:
      // after the commit an unread message stays for a later request.
      if (state.committed) return undefined;
      return flash.consumeFlash(name);
    },
    set(name, value) {
      tessera.set(name, value);
    },
    unset(name) {
      tessera.delete(name);
    },
    flash(name, value) {
      tessera.flash(name, value);
    },
  } as TesseraRouterSession<Data, Flash>;
}
