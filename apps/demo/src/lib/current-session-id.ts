import { parseCookie } from "@tessera/cookie";
import { hashToken } from "@tessera/signing";

/**
 * The `UserSessionInfo.id` of the session this request's cookie names, to
 * mark "this device" on the sessions page.
 *
 * Workaround: `@tessera/session` exposes no id on `Session` yet, so this
 * relies on its documented cookie layout (`token.kid.mac`) and store key
 * (`hashToken(token)`, README "Tokens"). The sessions test pins it: exactly
 * one listed session is marked current.
 */
export function currentSessionId(
  cookieHeader: string | undefined,
  cookieName: string,
): string | undefined {
  const value = parseCookie(cookieHeader ?? "")[cookieName];
  const token = value?.split(".")[0];
  return token === undefined || token === "" ? undefined : hashToken(token);
}
