import type {
  MatchesRegisteredManager,
  RegisteredSessionOf,
  Session,
  SessionData,
} from "@tessera/session";

/**
 * Optional: types `ctx.session` in every middleware and route. Register the
 * manager itself and the data and flash types follow from it:
 *
 * @example
 * ```ts
 * const sessions = createSessions<{ visits: number }>({ keys, store });
 * declare module "@tessera/koa" {
 *   interface Register {
 *     sessions: typeof sessions;
 *   }
 * }
 * ```
 *
 * `sessionMiddleware` then refuses to compile with a manager of other data
 * or flash types. Without a registration, `ctx.session` is `unknown` on a
 * plain `Koa` app, and typed on the app that `app.use(sessionMiddleware(sessions))`
 * returns; `sessionOf(ctx, sessions)` gives the manager's types anywhere.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point for users
export interface Register {}

/**
 * The type of `ctx.session` on every Koa context: the registered manager's
 * session, or `unknown` when nothing is registered (so it never claims a
 * type it cannot know, and narrows to the manager's session on the app
 * `use` returns).
 *
 * @example
 * ```ts
 * app.use((ctx) => {
 *   const session: RequestSession = ctx.session; // Session<{ visits: number }> once registered
 * });
 * ```
 */
export type RequestSession = RegisteredSessionOf<Register>;

/**
 * `unknown` (no constraint) when nothing is registered or the manager is of
 * the registered data and flash types; otherwise an object type no manager
 * has, so passing the manager fails to compile and the message names what
 * was expected.
 *
 * @example
 * ```ts
 * type Ok = MatchesRegister<{ visits: number }, SessionData>; // unknown when they match
 * ```
 */
export type MatchesRegister<Data, Flash> = MatchesRegisteredManager<Register, Data, Flash>;

/**
 * The context a route sees after `sessionMiddleware(sessions)`: Koa's `use`
 * adds it to the app's context type.
 *
 * @example
 * ```ts
 * const app = new Koa().use(sessionMiddleware(sessions)); // Koa<DefaultState, DefaultContext & SessionContext<...>>
 * ```
 */
export interface SessionContext<
  Data extends SessionData = SessionData,
  Flash extends SessionData = SessionData,
> {
  /** The request's session, loaded before the next middleware runs. */
  session: Session<Data, Flash>;
}

declare module "koa" {
  interface DefaultContext {
    /** The request's session, loaded by `@tessera/koa`'s `sessionMiddleware`; see {@link RequestSession}. */
    session: RequestSession;
  }
}
