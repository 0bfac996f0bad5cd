export { decodeBase64Url, encodeBase64Url } from "./base64url.js";
export { constantTimeEqual } from "./constant-time-equal.js";
export { type DeriveKeyOptions, deriveKey, type KeyPurpose } from "./derive-key.js";
export { SigningError, type SigningErrorCode } from "./errors.js";
export { exportJwks } from "./export-jwks.js";
export { type HashTokenOptions, hashToken } from "./hash-token.js";
export {
  type ExportedKeyPair,
  exportKeyPair,
  type GenerateKeyPairOptions,
  generateKeyPair,
  type ImportKeyPairInput,
  importKeyPair,
  type JWK,
} from "./key-pair.js";
export {
  createKeyring,
  type JsonWebKeySetOut,
  type KeyInput,
  type KeyPairAlgorithm,
  type KeyPairInput,
  type Keyring,
  type KeyringOptions,
  type SecretKeyInput,
} from "./keyring.js";
export { isToken, randomToken } from "./random-token.js";
export { type BearerRead, readBearerToken } from "./read-bearer-token.js";
export { type SealOptions, seal } from "./seal.js";
export { type SignOptions, type SignPurpose, sign } from "./sign.js";
export { type JwtAlgorithm, type SignJwtOptions, signJwt } from "./sign-jwt.js";
export {
  type OpenSealedResult,
  openSealed,
  type UnsealFailure,
  type UnsealOptions,
  unseal,
} from "./unseal.js";
export {
  type UnsignFailure,
  type UnsignOptions,
  unsign,
  type VerifySignedResult,
  verifySigned,
} from "./unsign.js";
export { unsignLegacy } from "./unsign-legacy.js";
export {
  type VerifyJwtFailure,
  type VerifyJwtOptions,
  type VerifyJwtResult,
  verifyJwt,
} from "./verify-jwt.js";
