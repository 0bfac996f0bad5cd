import { scryptAsync } from "@noble/hashes/scrypt.js";
import { constantTimeEqual, decodeBase64Url, encodeBase64Url } from "@tessera/signing";

/**
 * scrypt cost parameters. N = 2^14, r = 8, p = 1 (16 MiB, one pass) is the
 * "interactive login" setting of the scrypt paper (Percival 2009, §7) and of
 * RFC 7914's examples; it keeps a sign-in near 100 ms on a small server with
 * the pure-JS scrypt of @noble/hashes. OWASP's Password Storage Cheat Sheet
 * asks for N = 2^17 today: raise `logN` when your hardware allows (or move to a
 * native scrypt/argon2). The parameters are stored in every hash, so old
 * hashes keep verifying and are upgraded at the next sign-in (`needsRehash`).
 */
export interface PasswordCost {
  /** log2 of scrypt's N (CPU/memory cost). */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_COST: PasswordCost = { logN: 14, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on stored parameters, so a tampered users file cannot make a sign-in allocate gigabytes.
const MAX_LOG_N = 20;
const MAX_R = 16;
const MAX_P = 4;
/** Longer passwords are refused before hashing (NIST 800-63B §3.1.1.2 allows a max of 64+). */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 8;

const encoder = new TextEncoder();

function derive(password: string, salt: Uint8Array, cost: PasswordCost): Promise<Uint8Array> {
  // NFKC so the same passphrase typed on two keyboards hashes the same (NIST 800-63B §5.1.1.2).
  return scryptAsync(encoder.encode(password.normalize("NFKC")), salt, {
    N: 2 ** cost.logN,
    r: cost.r,
    p: cost.p,
    dkLen: KEY_BYTES,
    maxmem: 2 ** 30,
  });
}

/**
 * Hashes a password with a fresh 128-bit random salt:
 * `scrypt$<logN>$<r>$<p>$<salt b64url>$<key b64url>`.
 */
export async function hashPassword(
  password: string,
  cost: PasswordCost = DEFAULT_COST,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.logN}$${cost.r}$${cost.p}$${encodeBase64Url(salt)}$${encodeBase64Url(key)}`;
}

interface Parsed {
  cost: PasswordCost;
  salt: Uint8Array;
  key: Uint8Array;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [logN, r, p] = parts
    .slice(1, 4)
    .map((s) => (/^\d{1,2}$/.test(s!) ? Number(s) : Number.NaN));
  if (!(logN! >= 1 && logN! <= MAX_LOG_N && r! >= 1 && r! <= MAX_R && p! >= 1 && p! <= MAX_P)) {
    return null;
  }
  const salt = decodeBase64Url(parts[4]!);
  const key = decodeBase64Url(parts[5]!);
  if (salt === null || key === null || salt.length < 16 || key.length !== KEY_BYTES) return null;
  return { cost: { logN: logN!, r: r!, p: p! }, salt, key };
}

// A valid hash to verify against when the user does not exist, so "no such
// user" costs the same scrypt run as "wrong password" (no username probing by timing).
const dummies = new Map<string, Promise<string>>();
function dummyHash(cost: PasswordCost): Promise<string> {
  const id = `${cost.logN}/${cost.r}/${cost.p}`;
  let hash = dummies.get(id);
  if (hash === undefined) {
    hash = hashPassword("tessera-demo-dummy-password", cost);
    dummies.set(id, hash);
  }
  return hash;
}

/**
 * Checks a password against a stored hash in constant time. `stored`
 * undefined (unknown user) still runs scrypt once and returns false.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
  cost: PasswordCost = DEFAULT_COST,
): Promise<boolean> {
  const parsed = parse(stored ?? (await dummyHash(cost)));
  if (parsed === null || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return constantTimeEqual(key, parsed.key) && stored !== undefined;
}

/** True when a stored hash was made with other parameters than `cost` (upgrade it at sign-in). */
export function needsRehash(stored: string, cost: PasswordCost = DEFAULT_COST): boolean {
  const parsed = parse(stored);
  return (
    parsed === null ||
    parsed.cost.logN !== cost.logN ||
    parsed.cost.r !== cost.r ||
    parsed.cost.p !== cost.p
  );
}
