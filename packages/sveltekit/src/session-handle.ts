import type { Handle, RequestEvent } from "@sveltejs/kit";
import type { LoadMeta, MatchesDeclaredSession, Session, Sessions } from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { SvelteKitSessionError } from "./errors.js";

/**
 * What `event.locals` carries for a manager: declare it once in
 * `src/app.d.ts` so `locals.session` is typed everywhere.
 *
 * @example
 * ```ts
 * declare global {
 *   namespace App {
 *     interface Locals extends SessionLocals<typeof sessions> {}
 *   }
 * }
 * ```
 */
export interface SessionLocals<S extends Sessions<object, object>> {
  /** The request's session, loaded by {@link sessionHandle}. */
  session: S extends Sessions<infer Data, infer Flash> ? Session<Data, Flash> : never;
}

/**
 * `unknown` (no constraint) when `App.Locals` declares no `session`, or
 * declares exactly the session of a manager of `Data` and `Flash`; otherwise
 * an object type no manager has, so `sessionHandle(sessions)` fails to
 * compile and the message names the session type `App.Locals` expects.
 *
 * @example
 * ```ts
 * type Ok = MatchesLocals<{ visits: number }, { notice: string }>; // unknown when App.Locals agrees
 * ```
 */
export type MatchesLocals<Data extends object, Flash extends object> = App.Locals extends {
  session: infer S;
}
  ? MatchesDeclaredSession<S, Data, Flash>
  : unknown;

/**
 * Options of {@link sessionHandle}.
 *
 * @example
 * ```ts
 * sessionHandle(sessions, { meta: (event) => ({ userAgent: event.request.headers.get("user-agent") ?? undefined }) });
 * ```
 */
export interface SvelteKitSessionOptions {
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * @default the `User-Agent` header and `event.getClientAddress()` (which
   * honours the adapter's proxy settings, e.g. adapter-node's `ADDRESS_HEADER` and `XFF_DEPTH`)
   */
  meta?: (event: RequestEvent) => LoadMeta | undefined;
}

function defaultMeta(event: RequestEvent): LoadMeta | undefined {
  const userAgent = event.request.headers.get("user-agent") ?? undefined;
  let ip: string | undefined;
  try {
    ip = event.getClientAddress();
  } catch {
    // Some adapters (prerendering, a few serverless hosts) cannot tell the address.
  }
  if (userAgent === undefined && ip === undefined) return undefined;
  return {
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(ip === undefined ? {} : { ip }),
  };
}

/**
 * SvelteKit's `handle` hook for a Tessera manager: loads the session into
 * `event.locals.session`, resolves the request, then commits the session and
 * writes its headers on the response, with the policy every Tessera adapter
 * shares (`respond` from `@tessera/session`: nothing committed on `HEAD`,
 * `OPTIONS` or `304`; each `Set-Cookie` its own field; `Cache-Control:
 * no-store` and `Vary: Cookie`). A store outage answers 503 instead of a
 * fresh session, a commit that loses every write race 409.
 *
 * Declare `App.Locals` with {@link SessionLocals}; a manager whose data or
 * flash types differ from the declared `locals.session` does not compile.
 * Compose it with other hooks through SvelteKit's `sequence`.
 *
 * @example
 * ```ts
 * // src/hooks.server.ts
 * import { sessionHandle } from "@tessera/sveltekit";
 * import { sessions } from "$lib/server/sessions";
 *
 * export const handle = sessionHandle(sessions);
 * ```
 */
export function sessionHandle<Data extends object, Flash extends object>(
  sessions: Sessions<Data, Flash> & NoInfer<MatchesLocals<Data, Flash>>,
  options: SvelteKitSessionOptions = {},
): Handle {
  const adapter = new SessionAdapter(sessions, options, {
    defaultMeta,
    invalid: (message) => new SvelteKitSessionError("ERR_SVELTEKIT_INVALID_OPTION", message),
  });
  return async ({ event, resolve }) => {
    const session = await adapter.loadOrFail(event.request.headers.get(adapter.tokenHeader), event);
    if (session instanceof Response) return session;
    (event.locals as { session: Session<Data, Flash> }).session = session;
    return adapter.send(session, event.request.method, await resolve(event));
  };
}
