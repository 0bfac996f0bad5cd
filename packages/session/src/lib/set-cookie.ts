import { CookieError, chunkSetCookie, clearCookie, serializeSetCookie } from "@tessera/cookie";
import { SessionError } from "../errors.js";
import type { CookieSettings } from "./context.js";

interface Attributes {
  httpOnly: true;
  secure: boolean;
  sameSite: "lax" | "strict";
  path: string;
  domain?: string;
  maxAge?: number;
}

function attributes(cookie: CookieSettings, maxAge?: number): Attributes {
  const attrs: Attributes = {
    httpOnly: true,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
    path: cookie.path,
  };
  if (cookie.domain !== undefined) attrs.domain = cookie.domain;
  if (maxAge !== undefined) attrs.maxAge = maxAge;
  return attrs;
}

/** The session cookie; `maxAge` only for persistent cookies (CK-01). */
export function sessionSetCookie(cookie: CookieSettings, value: string, maxAge?: number): string {
  return serializeSetCookie(cookie.name, value, { ...attributes(cookie, maxAge), encode: "raw" });
}

/** A sealed stateless value, split into `name.0`, `name.1`, ... when it exceeds one cookie. */
export function sealedSetCookies(
  cookie: CookieSettings,
  value: string,
  incoming: Readonly<Record<string, string>>,
  maxAge?: number,
): string[] {
  try {
    return chunkSetCookie(cookie.name, value, attributes(cookie, maxAge), { incoming });
  } catch (error) {
    if (CookieError.isInstance(error) && error.code === "ERR_COOKIE_TOO_LARGE") {
      throw new SessionError(
        "ERR_SESSION_TOO_LARGE",
        `sealed session does not fit in the allowed cookie chunks (${value.length} characters)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Clears every cookie name this session owns in the browser, chunks included (LC-06, CK-08). */
export function clearSetCookies(
  cookie: CookieSettings,
  incoming: Readonly<Record<string, string>>,
): string[] {
  const names = new Set<string>([cookie.name, ...Object.keys(incoming)]);
  const attrs = attributes(cookie);
  return [...names].map((name) => clearCookie(name, attrs));
}

/** Throws `ERR_SESSION_INVALID_OPTION` when the cookie package refuses these settings. */
export function validateCookieSettings(cookie: CookieSettings): void {
  try {
    sessionSetCookie(cookie, "x", 60);
  } catch (error) {
    if (CookieError.isInstance(error)) {
      throw new SessionError(
        "ERR_SESSION_INVALID_OPTION",
        `option cookie is invalid (${error.code}): ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}
