import type { Sessions } from "@tessera/session";

/**
 * "Sign out everywhere else": revokes every session of `userId` except the
 * one named `currentId`, and resolves to how many ended.
 *
 * Workaround: the natural call is `sessions.revokeUser(userId, { except:
 * req.session })`, but @tessera/express hands out a guarded wrapper of the
 * session, which `revokeUser` refuses ("session was not loaded by this
 * session manager"). Until that is fixed, list and revoke one by one; a
 * session created between the two calls survives (the next click gets it).
 */
export async function revokeOtherSessions<D extends object, F extends object>(
  sessions: Sessions<D, F>,
  userId: string,
  currentId: string | undefined,
): Promise<number> {
  const others = (await sessions.listUserSessions(userId)).filter((s) => s.id !== currentId);
  const revoked = await Promise.all(others.map((s) => sessions.revokeUserSession(userId, s.id)));
  return revoked.filter(Boolean).length;
}
