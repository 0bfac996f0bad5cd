import type {
  MatchesRegisteredManager,
  RegisteredSessionOf,
  Session,
  SessionData,
} from "@tessera/session";
import type { EventHandlerRequest, H3Event, H3EventContext } from "h3";

/**
 * Optional: types `event.context.session` in every handler (and in the
 * routes of a Nuxt app). Register the manager itself:
 *
 * @example
 * ```ts
 * const sessions = createSessions<{ visits: number }>({ keys, store });
 * declare module "@tessera/h3" {
 *   interface Register {
 *     sessions: typeof sessions;
 *   }
 * }
 * ```
 *
 * `withSession` then refuses to compile with a manager of other data or
 * flash types. Without a registration, `event.context.session` is `unknown`
 * except in the handler `withSession` wraps, whose event is typed from the
 * manager; `sessionOf(event, sessions)` gives the manager's types anywhere.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point for users
export interface Register {}

/**
 * The type of `event.context.session` on every h3 event: the registered
 * manager's session, or `unknown` when nothing is registered.
 *
 * @example
 * ```ts
 * const session: RequestSession = event.context.session; // Session<{ visits: number }> once registered
 * ```
 */
export type RequestSession = RegisteredSessionOf<Register>;

/**
 * What `withSession` asks of its manager: nothing when no manager is
 * registered, else exactly the registered data and flash types. A mismatch
 * is an object type with a message naming the registered types, which no
 * manager satisfies, so the call does not compile.
 *
 * @example
 * ```ts
 * withSession(otherManager, handler); // compile error once Register names another manager
 * ```
 */
export type MatchesRegister<Data, Flash> = MatchesRegisteredManager<Register, Data, Flash>;

/**
 * The event a handler wrapped by `withSession` receives: an h3 event whose
 * `context.session` is the manager's session.
 *
 * @example
 * ```ts
 * function visits(event: SessionEvent<{ visits: number }>) {
 *   return event.context.session.get("visits") ?? 0;
 * }
 * ```
 */
export type SessionEvent<
  Data extends SessionData = SessionData,
  Flash extends SessionData = SessionData,
  Request extends EventHandlerRequest = EventHandlerRequest,
> = H3Event<Request> & { context: H3EventContext & { session: Session<Data, Flash> } };

declare module "h3" {
  interface H3EventContext {
    /** The request's session, loaded by `@tessera/h3`'s `withSession`; see {@link RequestSession}. */
    session: RequestSession;
  }
}
