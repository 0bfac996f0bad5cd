import type { SessionData, Sessions } from "@tessera/session";
import { cookies, headers } from "next/headers.js";
import { cache } from "react";
import {
  bindNextSessions,
  type NextSessions,
  type NextSessionsOptions,
  type RequestScope,
} from "./next-sessions.js";

const nextScope: RequestScope = {
  headers,
  cookies,
  cache,
};

/**
 * Binds a session manager to the Next.js App Router (Next.js 16): one
 * function for each place a session is used. Data types flow from
 * `createSessions<Data, Flash>()`. Throws `NextSessionError`
 * `ERR_NEXT_INVALID_OPTION` for a manager in `tokenMode:
 * "authorization"` or a bad option.
 *
 * @example
 * ```ts
 * // lib/session.ts
 * import "server-only";
 * import { createNextSessions } from "@tessera/next";
 * import { createSessions } from "@tessera/session";
 *
 * export const { getSession, withSession, route, proxy, sessions } = createNextSessions(
 *   createSessions<{ count: number }>({ keys, store }),
 * );
 * ```
 */
export function createNextSessions<
  Data extends object = SessionData,
  Flash extends object = SessionData,
>(sessions: Sessions<Data, Flash>, options: NextSessionsOptions = {}): NextSessions<Data, Flash> {
  return bindNextSessions(sessions, options, nextScope);
}
