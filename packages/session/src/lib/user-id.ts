import { userIdProblem } from "@tessera/store";
import { SessionError } from "../errors.js";

/**
 * Checks a user id given to `login`, `revokeUser`, `revokeUserSession` or
 * `listUserSessions` with the store's own rule (non-empty, at most 255 code
 * units, well-formed Unicode), so a stateless session or a revocation entry
 * accepts exactly the ids a store would. Throws `ERR_SESSION_INVALID_ARGUMENT`.
 */
export function checkUserId(userId: unknown): string {
  const problem = userIdProblem(userId);
  if (problem !== undefined) {
    // JSON.stringify escapes lone surrogates and control characters for the log.
    const shown = typeof userId === "string" ? JSON.stringify(userId.slice(0, 40)) : typeof userId;
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `userId is invalid: ${shown} (expected ${problem})`,
    );
  }
  return userId as string;
}
