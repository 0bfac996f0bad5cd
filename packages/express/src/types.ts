import type { RegisteredDataOf, RegisteredFlashOf, Session } from "@tessera/session";

/**
 * Optional: types `req.session` in every route. Register the manager itself
 * and the data and flash types follow from it (nothing to keep in sync):
 *
 * @example
 * ```ts
 * const sessions = createSessions<{ visits: number }>({ keys, store });
 * declare module "@tessera/express" {
 *   interface Register {
 *     sessions: typeof sessions;
 *   }
 * }
 * ```
 *
 * The older form, `interface Register { data: { visits: number }; flash: {
 * notice: string } }`, still works. Either way `sessionMiddleware` checks the
 * manager it is given against what is registered: a manager of other data is
 * a compile error, not a `req.session` that lies. Without a registration,
 * `req.session` holds `unknown` values; `sessionOf(req, sessions)` gives the
 * manager's own types in a route.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point for users
export interface Register {}

/** The data type registered in {@link Register} (by its manager or as `data`), or `SessionData`. */
export type RegisteredData = RegisteredDataOf<Register>;
/** The flash type registered in {@link Register} (by its manager or as `flash`), or `SessionData`. */
export type RegisteredFlash = RegisteredFlashOf<Register>;

/**
 * The type of `req.session`.
 *
 * @example
 * ```ts
 * function visits(session: RequestSession) { return session.get("visits") ?? 0; }
 * ```
 */
export type RequestSession = Session<RegisteredData, RegisteredFlash>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** What is registered for flash: only checked when the registration names it. */
type FlashMatches<Flash> = Register extends { sessions: unknown }
  ? Same<Flash, RegisteredFlash>
  : Register extends { flash: unknown }
    ? Same<Flash, RegisteredFlash>
    : true;

/**
 * `unknown` (no constraint) when nothing is registered or the manager's data
 * and flash types are the registered ones; otherwise an object type no
 * manager has, so passing the manager fails to compile and the message
 * names what was expected.
 *
 * @example
 * ```ts
 * type Ok = MatchesRegister<{ visits: number }, SessionData>; // unknown when they match
 * ```
 */
export type MatchesRegister<Data, Flash> = keyof Register extends never
  ? unknown
  : Same<Data, RegisteredData> extends true
    ? FlashMatches<Flash> extends true
      ? unknown
      : { "the manager's flash type must be the one registered in Register": RegisteredFlash }
    : { "the manager's data type must be the one registered in Register": RegisteredData };
