import {
  exportJWK,
  exportPKCS8,
  exportSPKI,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
  generateKeyPair as joseGenerateKeyPair,
} from "jose";
import { describe, SigningError } from "./errors.js";
import { type KeyPairAlgorithm, type KeyPairInput, KID } from "./keyring.js";

export type { JWK } from "jose";

/** Options for {@link generateKeyPair}. */
export interface GenerateKeyPairOptions {
  /** Key id (`kid`), `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  /**
   * Whether the private key can be exported (needed to persist it with
   * {@link exportKeyPair}). Public keys are always exportable.
   * @default false
   */
  extractable?: boolean;
}

/** Key material for {@link importKeyPair}: PEM (PKCS#8 private, SPKI public) or JWK. */
export interface ImportKeyPairInput {
  id: string;
  alg: KeyPairAlgorithm;
  /** PKCS#8 PEM or private JWK. Omit for a verify-only key. */
  privateKey?: string | JWK;
  /** SPKI PEM or public JWK. Derived from `privateKey` when omitted. */
  publicKey?: string | JWK;
  /** Keep the imported private key exportable. @default false */
  extractable?: boolean;
}

/** What {@link exportKeyPair} returns. */
export interface ExportedKeyPair<F extends "jwk" | "pem"> {
  id: string;
  alg: KeyPairAlgorithm;
  publicKey: F extends "jwk" ? JWK : string;
  /** Present when the pair has an extractable private key. */
  privateKey?: F extends "jwk" ? JWK : string;
}

function checkId(id: unknown): string {
  if (typeof id !== "string" || !KID.test(id)) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY_ID",
      `key id must match [A-Za-z0-9_-]{1,64}, got ${describe(id)}`,
    );
  }
  return id;
}

function checkAlg(alg: unknown): KeyPairAlgorithm {
  if (alg !== "EdDSA" && alg !== "ES256") {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY",
      `alg must be "EdDSA" or "ES256", got ${describe(alg)}`,
    );
  }
  return alg;
}

function invalid(id: string, what: string, cause: unknown): never {
  throw new SigningError("ERR_SIGNING_INVALID_KEY", `key ${id}: cannot ${what}`, { cause });
}

/**
 * Generates an Ed25519 (`"EdDSA"`) or P-256 (`"ES256"`) key pair with Web
 * Crypto, ready for {@link createKeyring}.
 *
 * @example
 * ```ts
 * const pair = await generateKeyPair("EdDSA", { id: "ed-2026-11" });
 * const keys = createKeyring([pair]);
 * ```
 */
export async function generateKeyPair(
  alg: KeyPairAlgorithm,
  options: GenerateKeyPairOptions,
): Promise<KeyPairInput> {
  const id = checkId(options?.id);
  checkAlg(alg);
  const pair = await joseGenerateKeyPair(alg, {
    extractable: options.extractable === true,
    crv: alg === "EdDSA" ? "Ed25519" : undefined,
  });
  return { id, alg, publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/**
 * Imports a key pair from PEM or JWK (through jose). Give the private key to
 * sign, only the public key to verify another party's tokens. The private key
 * stays non-extractable unless `extractable` is set.
 *
 * @example
 * ```ts
 * const pair = await importKeyPair({ id: "es-1", alg: "ES256", privateKey: process.env.ES256_PEM! });
 * const verifyOnly = await importKeyPair({ id: "partner", alg: "EdDSA", publicKey: partnerJwk });
 * ```
 */
export async function importKeyPair(input: ImportKeyPairInput): Promise<KeyPairInput> {
  const id = checkId(input?.id);
  const alg = checkAlg(input.alg);
  const { privateKey, publicKey } = input;
  if (privateKey === undefined && publicKey === undefined) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY",
      `key ${id}: give privateKey, publicKey or both`,
    );
  }
  const extractable = input.extractable === true;
  let priv: CryptoKey | undefined;
  let pub: CryptoKey;
  let privJwk: JWK | undefined;
  if (privateKey !== undefined) {
    try {
      if (typeof privateKey === "string") {
        const temporary = await importPKCS8(privateKey, alg, { extractable: true });
        privJwk = await exportJWK(temporary);
      } else {
        privJwk = { ...privateKey };
      }
      if (typeof privJwk.d !== "string") throw new Error("not a private key");
      priv = (await importJWK(privJwk, alg, { extractable })) as CryptoKey;
    } catch (cause) {
      invalid(id, "import the private key", cause);
    }
  }
  try {
    if (publicKey === undefined) {
      const { d: _d, ...rest } = privJwk!;
      pub = (await importJWK(rest, alg, { extractable: true })) as CryptoKey;
    } else if (typeof publicKey === "string") {
      pub = await importSPKI(publicKey, alg, { extractable: true });
    } else {
      if ("d" in publicKey) throw new Error("publicKey holds private material");
      pub = (await importJWK(publicKey, alg, { extractable: true })) as CryptoKey;
    }
  } catch (cause) {
    invalid(id, "import the public key", cause);
  }
  return priv === undefined
    ? { id, alg, publicKey: pub }
    : { id, alg, publicKey: pub, privateKey: priv };
}

/**
 * Exports a key pair as JWK or PEM (SPKI public, PKCS#8 private). The private
 * half is included only when it is extractable.
 *
 * @example
 * ```ts
 * const pair = await generateKeyPair("ES256", { id: "es-1", extractable: true });
 * const { privateKey, publicKey } = await exportKeyPair(pair, "pem");
 * ```
 */
export async function exportKeyPair<F extends "jwk" | "pem">(
  pair: KeyPairInput,
  format: F,
): Promise<ExportedKeyPair<F>> {
  const id = checkId(pair?.id);
  const alg = checkAlg(pair.alg);
  if (format !== "jwk" && format !== "pem") {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `option format is invalid: ${describe(format)} (expected "jwk" or "pem")`,
    );
  }
  try {
    const out: {
      id: string;
      alg: KeyPairAlgorithm;
      publicKey: JWK | string;
      privateKey?: JWK | string;
    } = {
      id,
      alg,
      publicKey:
        format === "jwk" ? await exportJWK(pair.publicKey) : await exportSPKI(pair.publicKey),
    };
    if (pair.privateKey?.extractable) {
      out.privateKey =
        format === "jwk" ? await exportJWK(pair.privateKey) : await exportPKCS8(pair.privateKey);
    }
    return out as ExportedKeyPair<F>;
  } catch (cause) {
    invalid(id, "export the key", cause);
  }
}
