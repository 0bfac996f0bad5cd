import {
  hashToken,
  type Keyring,
  openSealed,
  randomToken,
  seal,
  sign,
  unsign,
  verifySigned,
} from "@tessera/signing";
import type { Primitives } from "./context.js";

/** The most any sealed value may take: the largest `maxLength` the signing package accepts. */
export const SEALED_LENGTH_CEILING = 1_048_576;

/**
 * Binds the keyring and the cookie name once. Every MAC carries the cookie
 * name as context and its own purpose (one key, separated uses): a session cookie value
 * never verifies as a CSRF token or under another cookie's name.
 */
export function createPrimitives(keys: Keyring, cookieName: string): Primitives {
  const cookie = { purpose: "cookie", context: cookieName } as const;
  const csrf = { purpose: "csrf", context: cookieName } as const;
  return {
    randomToken: () => randomToken(32),
    hashToken: (token) => hashToken(token),
    // Labelled, so a public id can never equal a store key, a deny-list key or a token hash.
    publicId: (key) => hashToken(`tessera/session/id/v1:${key}`),
    signToken: (token) => sign(token, keys, cookie),
    unsignToken: (value) => {
      const result = verifySigned(value, keys, cookie);
      if (result.ok) return { ok: true, value: result.value, reissue: result.needsReissue };
      const malformed = result.reason === "malformed" || result.reason === "too_large";
      return { ok: false, reason: malformed ? "malformed" : "bad_signature" };
    },
    seal: (payload, context, expiresIn, now) => seal(payload, keys, { context, expiresIn, now }),
    unseal: async (sealed, context, now, maxLength) => {
      const result = await openSealed<unknown>(sealed, keys, { context, now, maxLength });
      if (result.ok) return { ok: true, value: result.payload, reissue: result.needsReissue };
      switch (result.reason) {
        case "expired":
          // Seals expire at the absolute deadline; idle expiry is judged from the record.
          return { ok: false, reason: "expired_absolute" };
        case "unknown_key":
        case "invalid":
          return { ok: false, reason: "bad_signature" };
        default:
          return { ok: false, reason: "malformed" };
      }
    },
    // The identity is not repeated in the token: only `kid.mac` goes into pages.
    csrfToken: (identity) => sign(identity, keys, csrf).slice(identity.length + 1),
    verifyCsrf: (identity, token) => unsign(`${identity}.${token}`, keys, csrf) === identity,
  };
}
