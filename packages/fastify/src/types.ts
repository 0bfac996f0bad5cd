import type {
  CommitResult,
  RegisteredDataOf,
  RegisteredFlashOf,
  Session,
  SessionData,
  Sessions,
} from "@tessera/session";

/**
 * Types `request.session` in every route. Register the manager itself and
 * the data and flash types follow from it (nothing to keep in sync):
 *
 * @example
 * ```ts
 * const sessions = createSessions<{ visits: number }>({ keys, store });
 * declare module "@tessera/fastify" {
 *   interface Register {
 *     sessions: typeof sessions;
 *   }
 * }
 * ```
 *
 * The older form, `interface Register { data: { visits: number }; flash: {
 * notice: string } }`, still works. Either way `fastifySessions` checks the
 * manager in its options against what is registered: a manager of other
 * data is a compile error, not a `request.session` that lies. Without a
 * registration, `request.session` holds `unknown` values;
 * `sessionOf(request, sessions)` gives the manager's own types in a route.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point for users
export interface Register {}

/** The data type registered in {@link Register} (by its manager or as `data`), or `SessionData`. */
export type RegisteredData = RegisteredDataOf<Register>;
/** The flash type registered in {@link Register} (by its manager or as `flash`), or `SessionData`. */
export type RegisteredFlash = RegisteredFlashOf<Register>;

/**
 * The type of `request.session`.
 *
 * @example
 * ```ts
 * function visits(session: RequestSession) { return session.get("visits") ?? 0; }
 * ```
 */
export type RequestSession = Session<RegisteredData, RegisteredFlash>;

/** The flash type a manager must have: checked only when the registration names one. */
type CheckedFlash = Register extends { sessions: unknown }
  ? RegisteredFlash
  : Register extends { flash: unknown }
    ? RegisteredFlash
    : never;

/**
 * The manager `fastifySessions` accepts in its options: any manager when
 * nothing is registered in {@link Register}, otherwise one whose data (and
 * registered flash) types are exactly the registered ones: a manager of
 * other data, or of more or fewer keys, is not assignable to it.
 *
 * @example
 * ```ts
 * const checked: RegisteredSessions = sessions; // compiles only for the registered manager's types
 * ```
 */
export type RegisteredSessions = keyof Register extends never
  ? Sessions<SessionData, SessionData>
  : Sessions<RegisteredData, RegisteredFlash> & {
      // Managers are compared covariantly (a manager of more keys would pass);
      // a function-typed property is compared contravariantly, so together
      // only the registered types match. An unchecked flash is `never`,
      // which every flash type accepts.
      readonly commitHeaders: (
        session: Session<RegisteredData, CheckedFlash>,
      ) => Promise<CommitResult>;
    };

declare module "fastify" {
  interface FastifyRequest {
    /** The request's session, loaded by the `@tessera/fastify` plugin in `onRequest`. */
    session: RequestSession;
  }
}
