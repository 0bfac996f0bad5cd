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

/** The session cookie; `maxAge` only for persistent cookies (else it ends with the browser session). */
export function sessionSetCookie(cookie: CookieSettings, value: string, maxAge?: number): string {
  return serializeSetCookie(cookie.name, value, { ...attributes(cookie, maxAge), encode: "raw" });
}

/**
 * A sealed stateless value, split into `name.0`, `name.1`, ... when it
 * exceeds one cookie, all of them together within `maxCookieSize` octets of
 * the request's Cookie header; past it nothing is written.
 */
export function sealedSetCookies(
  cookie: CookieSettings,
  value: string,
  incoming: Readonly<Record<string, string>>,
  limits: { maxCookieSize: number; maxAge: number | undefined },
): string[] {
  const { maxCookieSize, maxAge } = limits;
  try {
    return chunkSetCookie(cookie.name, value, attributes(cookie, maxAge), {
      incoming,
      maxBytes: maxCookieSize,
    });
  } catch (error) {
    if (CookieError.isInstance(error) && error.code === "ERR_COOKIE_TOO_LARGE") {
      throw new SessionError(
        "ERR_SESSION_TOO_LARGE",
        `sealed session (${value.length} characters) does not fit in maxCookieSize (${maxCookieSize} octets of the Cookie header, chunks included)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Clears every cookie name this session owns in the browser, chunks
 * included: a chunk left behind would reassemble into a broken value.
 */
export function clearSetCookies(
  cookie: CookieSettings,
  incoming: Readonly<Record<string, string>>,
): string[] {
  const names = new Set<string>([cookie.name, ...Object.keys(incoming)]);
  const attrs = attributes(cookie);
  return [...names].map((name) => clearCookie(name, attrs));
}

/** Writes the session cookie for a signed token, with `Max-Age` for persistent cookies. */
export type SessionCookieWriter = (signed: string, maxAge?: number) => string;

/** A Max-Age no real deadline produces here, inside the cookie package's 400-day limit. */
const AGE_MARK = 34_559_999;
const AGE_AT = "; Max-Age=";

/**
 * The session cookie's attributes never change after startup, only its
 * value and Max-Age. Serializing them through the cookie package on every
 * response (validating name, path, prefix rules each time) cost more than
 * the HMAC that signs the value, so the package serializes them once here,
 * with and without a marked Max-Age, and each response splices in its
 * value and age. The value is always our own signed token (base64url and
 * dots, well under the size limit); an age outside what the template was
 * made for goes through the cookie package as before.
 */
function compileSessionCookie(cookie: CookieSettings): SessionCookieWriter {
  const head = `${cookie.name}=`;
  const plain = sessionSetCookie(cookie, "x").slice(head.length + 1);
  const aged = sessionSetCookie(cookie, "x", AGE_MARK).slice(head.length + 1);
  const at = aged.indexOf(`${AGE_AT}${AGE_MARK}`);
  if (at < 0) return (signed, maxAge) => sessionSetCookie(cookie, signed, maxAge);
  const beforeAge = aged.slice(0, at + AGE_AT.length);
  const afterAge = aged.slice(at + AGE_AT.length + String(AGE_MARK).length);
  return (signed, maxAge) => {
    if (maxAge === undefined) return head + signed + plain;
    if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > AGE_MARK) {
      return sessionSetCookie(cookie, signed, maxAge);
    }
    return head + signed + beforeAge + maxAge + afterAge;
  };
}

/**
 * Throws `ERR_SESSION_INVALID_OPTION` when the cookie package refuses these
 * settings; otherwise returns the writer for the session cookie.
 */
export function validateCookieSettings(cookie: CookieSettings): SessionCookieWriter {
  try {
    sessionSetCookie(cookie, "x", 60);
    return compileSessionCookie(cookie);
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
