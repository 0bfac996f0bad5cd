import type { Sessions } from "@tessera/session";
import type { Tokens } from "@tessera/tokens";
import type { Response } from "express";
import type { PasswordCost } from "./password.js";
import type { DemoData, DemoFlash } from "./types.js";
import type { User, UserDirectory } from "./users.js";

/** Everything the route modules share. */
export interface DemoContext {
  sessions: Sessions<DemoData, DemoFlash>;
  tokens: Tokens;
  users: UserDirectory;
  passwordCost: PasswordCost;
  /** Seconds a sign-in counts as fresh for sensitive actions (step-up). */
  freshFor: number;
  /** The session manager's idle and absolute timeouts, seconds (for display). */
  idleTimeout: number;
  absoluteTimeout: number;
  now: () => number;
  storeLabel: string;
}

/** The signed-in user of this request, set by the `loadUser` middleware. */
export function currentUser(res: Response): User | undefined {
  return res.locals.user as User | undefined;
}
