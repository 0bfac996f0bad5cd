import type { RequestSession } from "./types.js";

// Only the main entry loads this file. `@tessera/express/migrate` leaves it out,
// because `@types/express-session` declares `req.session` too, and two global
// declarations of one property with different types do not compile (TS2717).
declare global {
  namespace Express {
    interface Request {
      /** The request's session, loaded by `@tessera/express`'s `sessionMiddleware`. */
      session: RequestSession;
    }
  }
}

export type { RequestSession };
