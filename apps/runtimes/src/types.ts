import type { JWK } from "@tessera/signing";
import type { TestResult } from "./harness.js";

/** The shape of test/vectors/kat.json (see scripts/generate-vectors.mjs). */
export interface Vectors {
  now: number;
  keyring: Array<{ id: string; secret: string }>;
  stranger: { id: string; secret: string };
  ed25519: { id: string; alg: "EdDSA"; jwk: JWK };
  es256: { id: string; alg: "ES256"; jwk: JWK };
  hkdf: Array<{ kid: string; purpose: string; context?: string; expected: string }>;
  signed: Array<{ value: string; purpose: string; context?: string; expected: string }>;
  rotated: Array<{ value: string; context: string; kid: string; expected: string }>;
  hashToken: Array<{ token: string; base64url: string; hex: string }>;
  base64url: Array<{ hex: string; text: string }>;
  jwt: Array<{
    alg: "HS256" | "HS512" | "EdDSA";
    claims: Record<string, unknown>;
    options: JwtVectorOptions;
    expected: string;
  }>;
  es256Jwt: {
    alg: "ES256";
    claims: Record<string, unknown>;
    options: JwtVectorOptions;
    token: string;
  };
  sealed: Array<{ payload: unknown; context?: string; token: string }>;
}

export interface JwtVectorOptions {
  expiresIn: number;
  typ: string;
  issuer: string;
  audience: string;
  jwtId: string;
  now: number;
}

/**
 * What one runtime produces in the first phase, for every other runtime to
 * check in the second: deterministic values to compare byte for byte and
 * randomized artifacts to accept.
 */
export interface Outputs {
  runtime: string;
  /** Deterministic: must equal every other runtime's, byte for byte. */
  deterministic: Record<string, string>;
  /** Randomized (AES-GCM IVs): each must unseal on every runtime. */
  sealed: Array<{ payload: unknown; context?: string; token: string }>;
  /** ES256 (random k) JWT signed with the vectors' P-256 key at `now`. */
  es256Jwt: string;
  /** A P-256 key generated on this runtime, public half, with a JWT it signed. */
  freshKey: { kid: string; publicJwk: JWK; token: string };
  /** An access token from @tessera/tokens (HS256) with the vectors' keyring. */
  accessToken: string;
  /** A stateless session cookie (`name=value` pairs) and the data inside it. */
  statelessCookie: { header: string; data: Record<string, unknown> };
  /** A signed value over a random token made here. */
  signedRandom: { value: string; signed: string };
}

export interface PhaseInput {
  phase: "run" | "verify";
  vectors: Vectors;
  /** Outputs of every runtime's "run" phase (verify phase only). */
  peers?: Outputs[];
}

export interface PhaseResult {
  runtime: string;
  version: string;
  phase: "run" | "verify";
  results: TestResult[];
  outputs?: Outputs;
}

/** The line prefix a runtime prints its JSON result behind. */
export const RESULT_MARK = "@@tessera-runtimes@@ ";
