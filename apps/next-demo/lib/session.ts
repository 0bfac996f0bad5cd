import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { createNextSessions } from "@tessera/next";
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { openStore } from "./store";

export type Data = {
  count: number;
};

function seconds(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : Number(value);
}

function create() {
  return {
    next: createNextSessions(
      createSessions<Data>({
        // A demo secret per process unless one is given; a real app loads it from its vault.
        keys: createKeyring([{ id: "k1", secret: process.env.SESSION_SECRET ?? randomToken(32) }]),
        store: openStore(process.env),
        idleTimeout: 1800,
        renewAfter: seconds("TESSERA_RENEW_AFTER", 600),
        renewGrace: seconds("TESSERA_RENEW_GRACE", 60),
      }),
    ),
    // Demo accounts: the first sign-in with a name sets its password (in memory, hashed).
    accounts: new Map<string, Buffer>(),
    salt: randomBytes(16),
  };
}

// Next.js bundles the proxy and the pages separately; one process-wide
// holder keeps one secret, one in-memory store and one account list for both.
const holder = globalThis as { tesseraNextDemo?: ReturnType<typeof create> };
if (holder.tesseraNextDemo === undefined) holder.tesseraNextDemo = create();
const demo = holder.tesseraNextDemo;

export const { getSession, withSession, proxy, route, sessions } = demo.next;

export function checkPassword(username: string, password: string): boolean {
  const hash = scryptSync(password, demo.salt, 32);
  const known = demo.accounts.get(username);
  if (known === undefined) {
    demo.accounts.set(username, hash);
    return true;
  }
  return timingSafeEqual(known, hash);
}
