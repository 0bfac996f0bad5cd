import type { Keyring } from "@tessera/signing";
import { type SessionStore, supportsUserIndex } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { BruteforceInfo, SessionEventListener } from "../events.js";
import type { SessionsOptions } from "../options.js";
import type { BruteforceSettings } from "./bruteforce.js";
import type { CookieSettings } from "./context.js";
import type { Timeouts } from "./expiry.js";
import {
  DEFAULT_MAX_COOKIE_SIZE,
  MAX_MAX_COOKIE_SIZE,
  MAX_SIGNED_LENGTH,
  MIN_MAX_COOKIE_SIZE,
} from "./limits.js";
import { quote } from "./quote.js";
import { type SessionCookieWriter, validateCookieSettings } from "./set-cookie.js";

/** `createSessions`' options, checked and resolved to their defaults. */
export interface Settings {
  keys: Keyring;
  /** Present: stored mode; absent: sealed mode. */
  store: SessionStore | undefined;
  /** Sealed mode's optional revocation list. */
  revocationStore: SessionStore | undefined;
  cookie: CookieSettings;
  /** The session cookie for a signed token, its attributes checked and serialized once. */
  writeSessionCookie: SessionCookieWriter;
  timeouts: Timeouts;
  maxRetries: number;
  maxSize: number;
  /** Octets the session's cookies may take in the Cookie header; sealed cookies past it are refused. */
  maxCookieSize: number;
  /** Deepest nesting of session data, checked before serializing and on load (bounded recursion). */
  maxDepth: number;
  encryptAtRest: boolean;
  saveUninitialized: boolean;
  /** Sessions one user may hold; undefined = unlimited. */
  maxSessionsPerUser: number | undefined;
  sessionLimit: "evict_oldest" | "reject";
  clearSiteData: boolean;
  /** What a changed user-agent family or network does. */
  binding: "off" | "log" | "revoke";
  /** Undefined when brute-force detection is off. */
  bruteforce: BruteforceSettings | undefined;
  onBruteforce: ((info: BruteforceInfo) => void) | undefined;
  /** The cookie, or only `Authorization: Bearer`: never both. */
  tokenMode: "cookie" | "authorization";
  /** Token age (ms) after which commit renews it; undefined = off. */
  renewAfterMs: number | undefined;
  /** How long a renewed token still learns its successor. */
  renewGraceMs: number;
  now: () => number;
  onEvent: SessionEventListener | undefined;
}

const DEFAULTS = {
  idleTimeout: 1800,
  absoluteTimeout: 43_200,
  touchAfter: 60,
  maxRetries: 10,
  maxSize: 65_536,
  maxDepth: 32,
} as const;

/** 400 days, the longest cookie lifetime browsers keep (RFC 6265bis §5.6.1). */
const MAX_SECONDS = 34_560_000;

/** Throws the startup error that names the option, the value and what was expected. */
export function invalid(name: string, value: unknown, expected: string): never {
  throw new SessionError(
    "ERR_SESSION_INVALID_OPTION",
    `option ${name} is invalid: ${quote(value, 80)} (expected ${expected})`,
  );
}

/** An integer option within `min..max`, or `fallback` when left out. */
function integer(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number; unit?: string },
): number {
  if (value === undefined) return fallback;
  const { min, max } = range;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(name, value, `an integer${range.unit ?? ""} in ${min}..${max}`);
  }
  return value;
}

/** A duration option in whole seconds, within `min..max` (default 1 s..400 days). */
function seconds(
  name: string,
  value: unknown,
  fallback: number,
  range?: { min: number; max?: number },
) {
  const min = range?.min ?? 1;
  return integer(name, value, fallback, {
    min,
    max: range?.max ?? MAX_SECONDS,
    unit: " number of seconds",
  });
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") invalid(name, value, "a boolean");
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const quoted = allowed.map((a) => JSON.stringify(a));
    invalid(name, value, `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`);
  }
  return value as T;
}

function isStore(value: unknown): value is SessionStore {
  const s = value as Record<string, unknown> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.get === "function" &&
    typeof s.set === "function" &&
    typeof s.touch === "function" &&
    typeof s.delete === "function"
  );
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") invalid(name, value, "a function");
  return value;
}

/** `NODE_ENV` where a `process` global exists (Node, Bun, Deno's compat); never an import. */
function nodeEnv(): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    return typeof env?.NODE_ENV === "string" ? env.NODE_ENV : undefined;
  } catch {
    // Some sandboxes throw on access to process.env.
    return undefined;
  }
}

function cookieSettings(c: SessionsOptions["cookie"]): CookieSettings {
  if (typeof c !== "object" || c === null) invalid("cookie", c, "an object");
  const insecure = bool("cookie.insecureDevelopmentOnly", c.insecureDevelopmentOnly, false);
  if (insecure && nodeEnv() === "production") {
    invalid(
      "cookie.insecureDevelopmentOnly",
      true,
      "false when NODE_ENV is production (SECURITY decision 5)",
    );
  }
  const secure = bool("cookie.secure", c.secure, !insecure);
  if (!secure && !insecure) {
    invalid(
      "cookie.secure",
      false,
      "true; a non-Secure session cookie needs cookie.insecureDevelopmentOnly (a session cookie must not travel over plain HTTP)",
    );
  }
  const name = c.name ?? (secure ? "__Host-sid" : "sid");
  if (!secure && typeof name === "string" && /^__(host|secure|http)-/i.test(name)) {
    invalid(
      "cookie.name",
      name,
      "a name without a __Host-/__Secure-/__Http- prefix when not Secure",
    );
  }
  if (typeof name !== "string" || name.length === 0) invalid("cookie.name", name, "a cookie name");
  return {
    name,
    sameSite: oneOf("cookie.sameSite", c.sameSite ?? "lax", ["lax", "strict"] as const),
    persistent: bool("cookie.persistent", c.persistent, false),
    path: c.path ?? "/",
    domain: c.domain,
    secure,
  };
}

function bruteforceSettings(bf: SessionsOptions["bruteforce"]): BruteforceSettings | undefined {
  if (bf === false) return undefined;
  if (typeof bf !== "object" || bf === null) {
    invalid("bruteforce", bf, "false or { threshold, window, maxTracked }");
  }
  return {
    threshold: integer("bruteforce.threshold", bf.threshold, 100, { min: 1, max: 1_000_000 }),
    windowMs: seconds("bruteforce.window", bf.window, 60, { min: 1, max: 86_400 }) * 1000,
    maxTracked: integer("bruteforce.maxTracked", bf.maxTracked, 1000, { min: 1, max: 1_000_000 }),
  };
}

/**
 * Checks every option of `createSessions` and resolves its default. Bad
 * options throw `ERR_SESSION_INVALID_OPTION` naming the option; the options
 * of one mode only are refused in the other here too, for callers whose
 * types did not catch them (plain JavaScript, `as` casts).
 */
export function parseOptions(input: SessionsOptions): Settings {
  if (typeof input !== "object" || input === null) invalid("options", input, "an object");
  // Read through the widest shape: these checks exist for values the types did not stop.
  const options = input as SessionsOptions & {
    store?: unknown;
    revocationStore?: unknown;
    encryptAtRest?: unknown;
    maxSessionsPerUser?: unknown;
    tokenMode?: unknown;
    renewAfter?: unknown;
  };
  const { keys, store } = options;
  if (typeof keys !== "object" || keys === null || typeof (keys as Keyring).has !== "function") {
    invalid("keys", keys, "a keyring from createKeyring()");
  }
  if ((keys as Keyring).primaryId === undefined) {
    invalid("keys", "(no secret)", "a keyring holding at least one secret");
  }
  if (store !== undefined && !isStore(store)) invalid("store", store, "a SessionStore");
  const stored = store !== undefined;
  const idle = seconds("idleTimeout", options.idleTimeout, DEFAULTS.idleTimeout);
  const absolute = seconds("absoluteTimeout", options.absoluteTimeout, DEFAULTS.absoluteTimeout);
  const touchAfter = seconds("touchAfter", options.touchAfter, DEFAULTS.touchAfter, { min: 0 });
  if (touchAfter >= idle) invalid("touchAfter", touchAfter, `less than idleTimeout (${idle})`);
  const maxCookieSize = integer("maxCookieSize", options.maxCookieSize, DEFAULT_MAX_COOKIE_SIZE, {
    min: MIN_MAX_COOKIE_SIZE,
    max: MAX_MAX_COOKIE_SIZE,
  });
  const encryptAtRest = bool("encryptAtRest", options.encryptAtRest, false);
  if (encryptAtRest && !stored) {
    invalid("encryptAtRest", true, "only with a store (stateless cookies are always sealed)");
  }
  const maxSessionsPerUser =
    options.maxSessionsPerUser === undefined
      ? undefined
      : integer("maxSessionsPerUser", options.maxSessionsPerUser, 1, { min: 1, max: 100_000 });
  if (maxSessionsPerUser !== undefined && (!stored || !supportsUserIndex(store as SessionStore))) {
    invalid("maxSessionsPerUser", maxSessionsPerUser, "a store with the per-user index");
  }
  const sessionLimit = oneOf("sessionLimit", options.sessionLimit ?? "evict_oldest", [
    "evict_oldest",
    "reject",
  ] as const);
  const clearSiteData = bool("clearSiteDataOnLogout", options.clearSiteDataOnLogout, false);
  const binding = oneOf("binding", options.binding ?? "log", ["off", "log", "revoke"] as const);
  const bruteforce = bruteforceSettings(options.bruteforce ?? {});
  const onBruteforce = optionalFunction("onBruteforce", options.onBruteforce);
  const tokenMode = oneOf("tokenMode", options.tokenMode ?? "cookie", [
    "cookie",
    "authorization",
  ] as const);
  if (tokenMode === "authorization" && !stored) {
    invalid("tokenMode", tokenMode, '"cookie" in stateless mode (a sealed session is a cookie)');
  }
  const revocationStore = options.revocationStore;
  if (revocationStore !== undefined) {
    if (!isStore(revocationStore)) invalid("revocationStore", revocationStore, "a SessionStore");
    if (stored) {
      invalid(
        "revocationStore",
        "(a store)",
        "only in stateless mode (with a store, logout deletes the entry)",
      );
    }
  }
  const renewAfter =
    options.renewAfter === undefined ? undefined : seconds("renewAfter", options.renewAfter, 0);
  if (renewAfter !== undefined && !stored) {
    invalid(
      "renewAfter",
      renewAfter,
      "only with a store (a sealed cookie has no server state to forward)",
    );
  }
  const renewGrace = seconds("renewGrace", options.renewGrace, 60, { min: 0, max: 3600 });
  const now = options.now ?? Date.now;
  if (typeof now !== "function") invalid("now", now, "a function returning epoch milliseconds");
  const onEvent = optionalFunction("onEvent", options.onEvent);
  const cookie = cookieSettings(options.cookie ?? {});
  const writeSessionCookie = validateCookieSettings(cookie);
  if (
    stored &&
    tokenMode === "cookie" &&
    cookie.name.length + 1 + MAX_SIGNED_LENGTH > maxCookieSize
  ) {
    invalid(
      "cookie.name",
      cookie.name,
      `a name that leaves room for the signed value within maxCookieSize (${maxCookieSize})`,
    );
  }
  return {
    keys: keys as Keyring,
    store: store as SessionStore | undefined,
    revocationStore: revocationStore as SessionStore | undefined,
    cookie,
    writeSessionCookie,
    timeouts: { idleMs: idle * 1000, absoluteMs: absolute * 1000, touchAfterMs: touchAfter * 1000 },
    maxRetries: integer("maxRetries", options.maxRetries, DEFAULTS.maxRetries, {
      min: 0,
      max: 100,
    }),
    maxSize: integer("maxSize", options.maxSize, DEFAULTS.maxSize, { min: 256, max: 16_777_216 }),
    maxCookieSize,
    maxDepth: integer("maxDepth", options.maxDepth, DEFAULTS.maxDepth, { min: 1, max: 1000 }),
    encryptAtRest,
    saveUninitialized: bool("saveUninitialized", options.saveUninitialized, false),
    maxSessionsPerUser,
    sessionLimit,
    clearSiteData,
    binding,
    bruteforce,
    onBruteforce,
    tokenMode,
    renewAfterMs: renewAfter === undefined ? undefined : renewAfter * 1000,
    renewGraceMs: renewGrace * 1000,
    now,
    onEvent,
  };
}
