import { hashToken, type Keyring, randomToken, seal, sign, unseal, unsign } from "@tessera/signing";
import type { Primitives } from "./context.js";

/** Longest sealed value accepted (a chunked stateless cookie), checked before decoding (DOS-01). */
export const MAX_SEALED_LENGTH = 16_384;

/**
 * Binds the keyring and the cookie name once. Every MAC carries the cookie
 * name as context and its own purpose (KEY-03, KEY-04): a session cookie value
 * never verifies as a CSRF token or under another cookie's name.
 */
export function createPrimitives(keys: Keyring, cookieName: string): Primitives {
  const cookie = { purpose: "cookie", context: cookieName } as const;
  const csrf = { purpose: "csrf", context: cookieName } as const;
  return {
    randomToken: () => randomToken(32),
    hashToken: (token) => hashToken(token),
    signToken: (token) => sign(token, keys, cookie),
    unsignToken: (value) => unsign(value, keys, cookie),
    seal: (payload, context, expiresIn, now) => seal(payload, keys, { context, expiresIn, now }),
    unseal: (sealed, context, now) =>
      unseal<unknown>(sealed, keys, { context, now, maxLength: MAX_SEALED_LENGTH }),
    // The identity is not repeated in the token: only `kid.mac` goes into pages.
    csrfToken: (identity) => sign(identity, keys, csrf).slice(identity.length + 1),
    verifyCsrf: (identity, token) => unsign(`${identity}.${token}`, keys, csrf) === identity,
  };
}
