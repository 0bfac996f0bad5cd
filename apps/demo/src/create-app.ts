import { ExpressSessionError, sessionMiddleware } from "@tessera/express";
import { createSessions, type Sessions } from "@tessera/session";
import { createKeyring } from "@tessera/signing";
import { MemoryStore, type SessionStore } from "@tessera/store";
import { createTokens, type Tokens } from "@tessera/tokens";
import express, { type ErrorRequestHandler, type Express } from "express";
import type { DemoContext } from "./context.js";
import { html } from "./lib/html.js";
import { DEFAULT_COST, type PasswordCost } from "./password.js";
import { apiRouter } from "./routes/api.js";
import { webRouter } from "./routes/web.js";
import type { DemoData, DemoFlash } from "./types.js";
import { UserDirectory } from "./users.js";
import { layout } from "./views/layout.js";
import { errorPage } from "./views/pages.js";
import { STYLE } from "./views/style.js";

/** Options of {@link createDemo}. */
export interface DemoOptions {
  /** At least 32 random bytes as hex, base64 or base64url text (e.g. `randomToken(32)`); signs cookies, CSRF tokens and JWTs. */
  secret: string;
  /** Where sessions live. @default new MemoryStore() */
  sessionStore?: SessionStore;
  /** Where refresh-token families live (its own namespace, so the two never mix). @default new MemoryStore() */
  tokenStore?: SessionStore;
  /** Shown in the footer. @default "memory" */
  storeLabel?: string;
  /** @default in-memory users */
  users?: UserDirectory;
  /** scrypt cost; tests lower it. @default DEFAULT_COST */
  passwordCost?: PasswordCost;
  /** Seconds a sign-in stays fresh for the password change (step-up). @default 300 */
  freshFor?: number;
  /** Session idle timeout, seconds. @default 1800 */
  idleTimeout?: number;
  /** Session absolute timeout, seconds. @default 43200 */
  absoluteTimeout?: number;
  /** `iss` of API tokens. @default "tessera-demo" */
  issuer?: string;
  /** Express "trust proxy" setting, for running behind an HTTPS proxy. @default false */
  trustProxy?: boolean | number | string;
  /** Send `Strict-Transport-Security` (only when served over HTTPS). @default false */
  hsts?: boolean;
  /** Clock in epoch ms, for tests. @default Date.now */
  now?: () => number;
}

/** The assembled demo: the Express app and the parts tests reach into. */
export interface Demo {
  app: Express;
  sessions: Sessions<DemoData, DemoFlash>;
  tokens: Tokens;
  users: UserDirectory;
}

// default-src 'none' plus the few sources the pages use: the stylesheet, the data: favicon, same-origin forms.
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Builds the demo app: Express 5, `@tessera/express`'s `sessionMiddleware`,
 * server-rendered pages, and a JSON API on `@tessera/tokens`.
 */
export async function createDemo(options: DemoOptions): Promise<Demo> {
  const now = options.now ?? Date.now;
  const keys = createKeyring([{ id: "demo", secret: options.secret }]);
  const idleTimeout = options.idleTimeout ?? 1800;
  const absoluteTimeout = options.absoluteTimeout ?? 43_200;
  const sessions = createSessions<DemoData, DemoFlash>({
    keys,
    store: options.sessionStore ?? new MemoryStore({ now }),
    idleTimeout,
    absoluteTimeout,
    now,
  });
  const tokens = createTokens({
    keys,
    store: options.tokenStore ?? new MemoryStore({ now }),
    issuer: options.issuer ?? "tessera-demo",
    audience: "tessera-demo-api",
    // Revoking a family (sign out everywhere, password change) ends its access tokens at once.
    checkRevocation: true,
    now,
  });
  const users = options.users ?? (await UserDirectory.open());
  const ctx: DemoContext = {
    sessions,
    tokens,
    users,
    passwordCost: options.passwordCost ?? DEFAULT_COST,
    freshFor: options.freshFor ?? 300,
    idleTimeout,
    absoluteTimeout,
    now,
    storeLabel: options.storeLabel ?? "memory",
  };

  const app = express();
  app.disable("x-powered-by");
  // Pages are per-user: no ETag, so no 304 that would skip the session commit (and its flash consumption).
  app.set("etag", false);
  app.set("trust proxy", options.trustProxy ?? false);
  app.use((_req, res, next) => {
    res.set({
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "cross-origin-opener-policy": "same-origin",
      "x-frame-options": "DENY",
    });
    if (options.hsts) res.set("strict-transport-security", "max-age=31536000; includeSubDomains");
    next();
  });
  // Static assets and the API come before the session middleware: they never read or set the cookie.
  app.get("/assets/style.css", (_req, res) => {
    res.type("css").set("cache-control", "public, max-age=3600").send(STYLE);
  });
  app.use("/api", apiRouter(ctx));
  app.use(sessionMiddleware(sessions));
  app.use(webRouter(ctx));
  app.use(errorHandler(ctx));
  return { app, sessions, tokens, users };
}

function errorHandler(ctx: DemoContext): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const outage = ExpressSessionError.isInstance(error);
    const given = (error as { status?: unknown } | null)?.status;
    const status =
      typeof given === "number" && given >= 400 && given < 600 ? given : outage ? 503 : 500;
    if (status >= 500)
      console.error(outage ? `session store unavailable: ${error.message}` : error);
    const message =
      status === 503
        ? "The session store is unavailable. Try again in a moment."
        : status >= 500
          ? "Something went wrong."
          : "That request could not be handled.";
    // Rendered without the session: after an outage it may be unusable.
    const frame = {
      title: "Error",
      storeLabel: ctx.storeLabel,
      cookieName: ctx.sessions.cookieName,
    };
    if (status === 503) res.set("retry-after", "5");
    res
      .status(status)
      .type("html")
      .send(layout(frame, html`${errorPage(status, message)}`));
  };
}
