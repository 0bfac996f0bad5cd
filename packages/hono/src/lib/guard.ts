import type { Session, SessionData } from "@tessera/session";

/** Methods whose effect must reach the commit; after it they would be lost silently. */
const SYNC_MUTATORS = new Set<PropertyKey>(["set", "delete", "persist", "flash", "consumeFlash"]);
const ASYNC_MUTATORS = new Set<PropertyKey>(["regenerate", "login", "logout", "destroy"]);

/**
 * A view of `session` whose mutating methods throw (async ones reject) with
 * `lateError()` once `locked()` is true, i.e. once the commit has begun and
 * the headers are on their way (AD-04, T-A06). Reads stay allowed; so does
 * `csrfToken()` on a session that is already stored (a streamed form may
 * need it), because it then changes nothing.
 */
export function guardSession<D extends SessionData, F extends SessionData>(
  session: Session<D, F>,
  locked: () => boolean,
  lateError: () => Error,
): Session<D, F> {
  return new Proxy(session, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (SYNC_MUTATORS.has(property)) {
        return (...args: unknown[]) => {
          if (locked()) throw lateError();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (ASYNC_MUTATORS.has(property)) {
        return (...args: unknown[]) =>
          locked()
            ? Promise.reject(lateError())
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      }
      if (property === "csrfToken") {
        return () =>
          locked() && target.isNew
            ? Promise.reject(lateError())
            : (value as () => Promise<string>).call(target);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
    set() {
      return false;
    },
  });
}
