import type { Sessions } from "./create-sessions.js";
import type { Session, SessionData } from "./session.js";

/**
 * Whether `value` is a session manager (what `createSessions()` returns), for
 * an adapter to refuse anything else with its own typed error at startup
 * instead of failing on the first request.
 *
 * @example
 * ```ts
 * if (!isSessions(sessions)) {
 *   throw new MyAdapterError("ERR_MY_ADAPTER_INVALID_OPTION", "sessions is invalid: expected the manager returned by createSessions()");
 * }
 * ```
 */
export function isSessions(value: unknown): value is Sessions<object, object> {
  const manager = value as Partial<Sessions> | null;
  return (
    typeof manager === "object" &&
    manager !== null &&
    typeof manager.load === "function" &&
    typeof manager.commitHeaders === "function"
  );
}

/**
 * `[Data, Flash]` of the manager an adapter's `Register` interface names as
 * `sessions: typeof sessions`, or `undefined` when it names none. Each
 * adapter keeps its own (empty) `Register` for apps to augment and passes it
 * here, so the type rules are written once.
 *
 * @example
 * ```ts
 * type T = RegisteredManager<{ sessions: Sessions<{ visits: number }> }>; // [{ visits: number }, SessionData]
 * ```
 */
export type RegisteredManager<Register> = Register extends {
  sessions: Sessions<infer D extends SessionData, infer F extends SessionData>;
}
  ? [D, F]
  : undefined;

/**
 * The session type of the manager `Register` names, or `unknown` when it
 * names none: a request's session is then never claimed to be of a type the
 * adapter cannot know.
 *
 * @example
 * ```ts
 * type S = RegisteredSessionOf<{ sessions: Sessions<{ visits: number }> }>; // Session<{ visits: number }>
 * ```
 */
export type RegisteredSessionOf<Register> =
  RegisteredManager<Register> extends [infer D extends SessionData, infer F extends SessionData]
    ? Session<D, F>
    : unknown;

/**
 * The data type `Register` names, by its manager (`sessions`) or directly
 * (`data`), or `SessionData` when it names neither.
 *
 * @example
 * ```ts
 * type D = RegisteredDataOf<{ data: { visits: number } }>; // { visits: number }
 * ```
 */
export type RegisteredDataOf<Register> =
  RegisteredManager<Register> extends [infer D, unknown]
    ? D
    : Register extends { data: infer D extends SessionData }
      ? D
      : SessionData;

/**
 * The flash type `Register` names, by its manager (`sessions`) or directly
 * (`flash`), or `SessionData` when it names neither.
 *
 * @example
 * ```ts
 * type F = RegisteredFlashOf<{ flash: { notice: string } }>; // { notice: string }
 * ```
 */
export type RegisteredFlashOf<Register> =
  RegisteredManager<Register> extends [unknown, infer F]
    ? F
    : Register extends { flash: infer F extends SessionData }
      ? F
      : SessionData;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * `unknown` (no constraint) when `Register` names no manager, or when `Data`
 * and `Flash` are exactly the registered manager's; otherwise an object type
 * no manager has, whose one key says what was expected. An adapter
 * intersects its `sessions` parameter with it, so a manager of other data is
 * a compile error rather than a request session whose type lies.
 *
 * @example
 * ```ts
 * function use<D extends SessionData, F extends SessionData>(
 *   sessions: Sessions<D, F> & NoInfer<MatchesRegisteredManager<Register, D, F>>,
 * ) {}
 * ```
 */
export type MatchesRegisteredManager<Register, Data, Flash> =
  RegisteredManager<Register> extends [infer D, infer F]
    ? Same<[Data, Flash], [D, F]> extends true
      ? unknown
      : { "the manager's data and flash types must be the ones registered in Register": [D, F] }
    : unknown;

/**
 * `unknown` (no constraint) when `Declared`, the session type an app declared
 * for its requests (a Hono `Env` variable, SvelteKit's `App.Locals`), is
 * exactly `Session<Data, Flash>`; otherwise an object type no manager has,
 * whose one key shows the declared type, so passing the manager fails to
 * compile.
 *
 * @example
 * ```ts
 * type Ok = MatchesDeclaredSession<Session<{ visits: number }>, { visits: number }, SessionData>; // unknown
 * ```
 */
export type MatchesDeclaredSession<Declared, Data extends object, Flash extends object> =
  Same<Declared, Session<Data, Flash>> extends true
    ? unknown
    : {
        "the manager's data and flash types must be those of the declared request session": Declared;
      };
