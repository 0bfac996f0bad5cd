import { quietListener } from "@tessera/error-kit";
import {
  decodeBase64Url,
  encodeBase64Url,
  hashToken,
  type JwtAlgorithm,
  type Keyring,
} from "@tessera/signing";
import type { SessionStore } from "@tessera/store";
import { badOption } from "../errors.js";
import type { TokensEvent } from "../events.js";
import type { TokensOptions } from "../options.js";

/** Everything an operation needs, validated once by `createTokens`. */
export interface Context {
  readonly keys: Keyring;
  readonly store: SessionStore;
  readonly algorithm: JwtAlgorithm;
  readonly symmetric: boolean;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds. */
  readonly accessTtl: number;
  readonly refreshTtl: number;
  readonly familyTtl: number;
  readonly stepUpTtl: number;
  readonly graceWindow: number;
  readonly clockTolerance: number;
  readonly denyList: boolean;
  readonly checkRevocation: boolean;
  readonly revokeOnBindingMismatch: boolean;
  readonly now: () => number;
  readonly emit: (event: TokensEvent) => void;
}

// HKDF contexts of the HS* subkeys: access and step-up tokens get distinct
// keys, so one can never pass for the other (RFC 8725 §3.12).
export const ACCESS_CONTEXT = "tessera-tokens-at";
export const STEP_UP_CONTEXT = "tessera-tokens-stepup";
/** RFC 9068 §2.1: the `typ` of JWT access tokens. */
export const ACCESS_TYP = "at+jwt";
export const STEP_UP_TYP = "stepup+jwt";

const DAY = 86_400;

function integer(name: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    badOption(name, value, `an integer number of seconds in ${min}..${max}`);
  }
  return value;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") badOption(name, value, "true or false");
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 1024) {
    badOption(name, value, "a non-empty string of at most 1024 characters");
  }
  return value;
}

const ALGORITHMS = new Set<string>(["HS256", "HS512", "EdDSA", "ES256"]);

/** Validates {@link TokensOptions}; throws ERR_TOKENS_INVALID_OPTION naming the bad option. */
export function contextOf(options: TokensOptions): Context {
  if (typeof options !== "object" || options === null) badOption("options", options, "an object");
  const { keys, store } = options;
  if (typeof keys !== "object" || keys === null || typeof keys.has !== "function") {
    badOption("keys", keys, "a keyring from createKeyring()");
  }
  const s = store as Partial<SessionStore> | null | undefined;
  if (
    typeof s !== "object" ||
    s === null ||
    typeof s.get !== "function" ||
    typeof s.set !== "function" ||
    typeof s.delete !== "function"
  ) {
    badOption("store", store, "a SessionStore (get, set, touch, delete)");
  }
  const algorithm = options.algorithm ?? (keys.primaryId === undefined ? undefined : "HS256");
  if (algorithm === undefined) {
    badOption("algorithm", algorithm, '"EdDSA" or "ES256" for a keyring without secrets');
  }
  if (!ALGORITHMS.has(algorithm)) {
    badOption("algorithm", algorithm, '"HS256", "HS512", "EdDSA" or "ES256"');
  }
  const accessTtl = integer("accessTtl", options.accessTtl, 600, 1, DAY);
  const familyTtl = integer("familyTtl", options.familyTtl, 30 * DAY, 60, 400 * DAY);
  const refreshTtl = integer(
    "refreshTtl",
    options.refreshTtl,
    Math.min(14 * DAY, familyTtl),
    60,
    familyTtl,
  );
  const now = options.now ?? Date.now;
  if (typeof now !== "function") badOption("now", now, "a function returning epoch milliseconds");
  const onEvent = options.onEvent;
  if (onEvent !== undefined && typeof onEvent !== "function")
    badOption("onEvent", onEvent, "a function");
  const emit = quietListener(onEvent);
  return {
    keys,
    store: store as SessionStore,
    algorithm,
    symmetric: algorithm === "HS256" || algorithm === "HS512",
    issuer: text("issuer", options.issuer),
    audience: text("audience", options.audience),
    accessTtl,
    refreshTtl,
    familyTtl,
    stepUpTtl: integer("stepUpTtl", options.stepUpTtl, 300, 1, 300),
    graceWindow: integer("graceWindow", options.graceWindow, 0, 0, 60),
    // RFC 7519 §4.1.4: "usually no more than a few minutes".
    clockTolerance: integer("clockTolerance", options.clockTolerance, 30, 0, 300),
    denyList: flag("denyList", options.denyList, false),
    checkRevocation: flag("checkRevocation", options.checkRevocation, false),
    revokeOnBindingMismatch: flag("revokeOnBindingMismatch", options.revokeOnBindingMismatch, true),
    now,
    emit,
  };
}

/** A client binding as stored: its SHA-256, never the value itself. */
export function bindingHash(binding: unknown): string | undefined {
  if (binding === undefined) return undefined;
  if (typeof binding !== "string" || binding.length === 0 || binding.length > 4096) {
    badOption("binding", binding, "a non-empty string of at most 4096 characters");
  }
  return hashToken(`tessera/tokens/binding/v1:${binding}`);
}

/**
 * Seals a child refresh token for the grace window under a pad only a holder
 * of the parent token can compute: `child XOR SHA-256(prefix ‖ parent)`. The
 * store keeps `SHA-256(parent)` as the key, which is a different hash, so a
 * store dump alone yields no usable token. Each pad is used
 * once: a parent has exactly one child.
 */
export function sealChild(parent: string, child: string): string {
  const pad = decodeBase64Url(hashToken(`tessera/tokens/child-pad/v1:${parent}`))!;
  const bytes = decodeBase64Url(child)!;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ pad[i]!;
  return encodeBase64Url(out);
}

/** Inverse of {@link sealChild}; null when the sealed text is damaged. */
export function unsealChild(parent: string, sealed: string): string | null {
  const bytes = decodeBase64Url(sealed);
  if (bytes === null || bytes.length !== 32) return null;
  return sealChild(parent, sealed);
}
