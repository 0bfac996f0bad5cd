import { SessionError } from "@tessera/session";
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from "express";
import { currentUser, type DemoContext } from "../context.js";
import { field, safeNext } from "../lib/forms.js";
import type { Html } from "../lib/html.js";
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from "../password.js";
import { normalizeUsername } from "../users.js";
import { type Frame, layout } from "../views/layout.js";
import {
  errorPage,
  landingPage,
  overviewPage,
  passwordPage,
  reauthPage,
  sessionsPage,
  signInPage,
  signUpPage,
} from "../views/pages.js";

type PageFrame = Omit<Frame, "storeLabel" | "cookieName" | "username" | "notice" | "error"> & {
  error?: string | undefined;
};

/** Renders a page inside the layout; consumes this session's flash messages. */
async function render(
  ctx: DemoContext,
  req: Request,
  res: Response,
  frame: PageFrame,
  body: Html,
  status = 200,
): Promise<void> {
  const user = currentUser(res);
  const notice = req.session.consumeFlash("notice");
  const error = frame.error ?? req.session.consumeFlash("error");
  const csrf = frame.csrf ?? (user === undefined ? undefined : await req.session.csrfToken());
  const page = layout(
    {
      ...frame,
      csrf,
      username: user?.username,
      notice,
      error,
      storeLabel: ctx.storeLabel,
      cookieName: ctx.sessions.cookieName,
    },
    body,
  );
  // Every page is personal (a CSRF token, a name, a flash): never cache it
  // (OWASP Session Management Cheat Sheet, "Web Content Caching").
  res.status(status).type("html").set("cache-control", "no-store").send(page);
}

/** Redirects signed-out visitors to the sign-in page (and back afterwards for GETs). */
const requireUser: RequestHandler = (req, res, next) => {
  if (currentUser(res) !== undefined) return next();
  const back = req.method === "GET" ? `?next=${encodeURIComponent(req.originalUrl)}` : "";
  res.redirect(303, `/signin${back}`);
};

/**
 * Step-up for sensitive actions (OWASP "Reauthentication After Risk Events"):
 * the sign-in must be at most `maxAge` seconds old, else the user confirms
 * their password at /reauth and comes back to `back` (the form page, for a
 * POST).
 */
function requireFresh(maxAge: number, back: string): RequestHandler {
  return (req, res, next) => {
    try {
      req.session.requireFresh(maxAge);
      next();
    } catch (error) {
      if (!SessionError.isInstance(error) || error.code !== "ERR_SESSION_REAUTH_REQUIRED") {
        return next(error);
      }
      req.session.flash("notice", "Please confirm your password to continue.");
      res.redirect(303, `/reauth?next=${encodeURIComponent(back)}`);
    }
  };
}

/**
 * CSRF defence for every POST: the synchronizer token of the session
 * (session.verifyCsrf, constant time), plus Fetch Metadata as defence in
 * depth (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata headers"): a
 * browser that says the request is cross-site is refused even before the
 * token is looked at.
 */
function verifyCsrf(ctx: DemoContext): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== "POST") return next();
    const site = req.headers["sec-fetch-site"];
    const crossSite = site !== undefined && site !== "same-origin" && site !== "none";
    if (crossSite || !(await req.session.verifyCsrf(field(req, "_csrf")))) {
      return render(
        ctx,
        req,
        res,
        { title: "Form expired" },
        errorPage(403, "This form has expired. Go back, reload the page and try again."),
        403,
      );
    }
    next();
  };
}

function passwordProblem(password: string | undefined): string | undefined {
  if (password === undefined || password.length < MIN_PASSWORD_LENGTH) {
    return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  return undefined;
}

/** The server-rendered pages. Mount after `sessionMiddleware`. */
export function webRouter(ctx: DemoContext): Router {
  const web = express.Router();
  const { sessions, users, tokens } = ctx;

  web.use(express.urlencoded({ extended: false, limit: "8kb" }));
  // The session's user, when it still exists (a users file can be reset under a live session).
  web.use((req, res, next) => {
    const user = users.findById(req.session.userId);
    if (user !== undefined) res.locals.user = user;
    next();
  });
  web.use(verifyCsrf(ctx));

  web.get("/", async (req, res) => {
    const user = currentUser(res);
    if (user === undefined) {
      return render(ctx, req, res, { title: "Welcome" }, landingPage(sessions.cookieName));
    }
    const now = ctx.now();
    const listed = await sessions.listUserSessions(user.id);
    const id = req.session.id;
    const mine = listed.find((s) => s.id === id);
    const csrf = await req.session.csrfToken();
    const body = overviewPage({
      username: user.username,
      now,
      createdAt: req.session.createdAt,
      authTime: req.session.authTime,
      lastSeenAt: mine?.lastSeenAt ?? req.session.lastSeenAt,
      idleExpiresAt: mine?.expiresAt ?? now + ctx.idleTimeout * 1000,
      absoluteExpiresAt: req.session.createdAt + ctx.absoluteTimeout * 1000,
      counter: req.session.get("counter") ?? 0,
      fresh: req.session.isFresh(ctx.freshFor),
      freshFor: ctx.freshFor,
      csrf,
      sessionCount: listed.length,
    });
    return render(ctx, req, res, { title: "Overview", nav: "home", csrf }, body);
  });

  web.get("/signup", async (req, res) => {
    if (currentUser(res) !== undefined) return res.redirect(303, "/");
    const csrf = await req.session.csrfToken();
    return render(
      ctx,
      req,
      res,
      { title: "Create account", nav: "signup", csrf },
      signUpPage({ csrf }),
    );
  });

  web.post("/signup", async (req, res) => {
    const typed = field(req, "username");
    const username = normalizeUsername(typed);
    const password = field(req, "password");
    const problem =
      username === null
        ? "Choose a username of 3–32 characters: letters, digits, dot, dash or underscore."
        : passwordProblem(password);
    const again = async (error: string, status: number) => {
      const csrf = await req.session.csrfToken();
      const form = signUpPage({ csrf, username: typed });
      return render(
        ctx,
        req,
        res,
        { title: "Create account", nav: "signup", csrf, error },
        form,
        status,
      );
    };
    if (problem !== undefined) return again(problem, 400);
    const user = await users.create(username!, await hashPassword(password!, ctx.passwordCost));
    if (user === null) return again("That username is taken.", 409);
    await req.session.login(user.id);
    req.session.flash("notice", `Account created. Welcome, ${user.username}!`);
    res.redirect(303, "/");
  });

  web.get("/signin", async (req, res) => {
    if (currentUser(res) !== undefined) return res.redirect(303, safeNext(req.query.next));
    const csrf = await req.session.csrfToken();
    const next = typeof req.query.next === "string" ? safeNext(req.query.next) : undefined;
    return render(
      ctx,
      req,
      res,
      { title: "Sign in", nav: "signin", csrf },
      signInPage({ csrf, next }),
    );
  });

  web.post("/signin", async (req, res) => {
    const typed = field(req, "username");
    const username = normalizeUsername(typed);
    const password = field(req, "password") ?? "";
    const user = username === null ? undefined : users.findByUsername(username);
    // Unknown users cost one scrypt run too, so timing does not tell which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash, ctx.passwordCost);
    if (!ok || user === undefined) {
      const csrf = await req.session.csrfToken();
      const next = field(req, "next");
      const form = signInPage({
        csrf,
        username: typed,
        next: next === undefined ? undefined : safeNext(next),
      });
      const error = "Wrong username or password.";
      return render(ctx, req, res, { title: "Sign in", nav: "signin", csrf, error }, form, 401);
    }
    if (needsRehash(user.passwordHash, ctx.passwordCost)) {
      await users.setPasswordHash(user.id, await hashPassword(password, ctx.passwordCost));
    }
    // New token, user bound, auth time recorded: the pre-login cookie is now worthless
    // (no session fixation).
    // "Keep me signed in" only gives the cookie a Max-Age; the idle and absolute timeouts stay.
    await req.session.login(user.id, { persistent: field(req, "remember") === "on" });
    req.session.flash("notice", `Signed in as ${user.username}.`);
    res.redirect(303, safeNext(field(req, "next")));
  });

  web.post("/signout", async (req, res) => {
    await req.session.logout();
    res.redirect(303, "/");
  });

  web.post("/counter", requireUser, (req, res) => {
    const op = field(req, "op");
    req.session.set("counter", op === "reset" ? 0 : (req.session.get("counter") ?? 0) + 1);
    res.redirect(303, "/");
  });

  web.get("/sessions", requireUser, async (req, res) => {
    const user = currentUser(res)!;
    const id = req.session.id;
    const rows = (await sessions.listUserSessions(user.id))
      .map((info) => ({ info, current: info.id === id }))
      .sort(
        (a, b) => Number(b.current) - Number(a.current) || b.info.lastSeenAt - a.info.lastSeenAt,
      );
    const csrf = await req.session.csrfToken();
    const body = sessionsPage(rows, ctx.now(), csrf);
    return render(ctx, req, res, { title: "Your sessions", nav: "sessions", csrf }, body);
  });

  web.post("/sessions/revoke", requireUser, async (req, res) => {
    const user = currentUser(res)!;
    const id = field(req, "id") ?? "";
    if (id !== "" && id === req.session.id) {
      await req.session.logout();
      return res.redirect(303, "/");
    }
    // revokeUserSession checks the owner: another user's session id does nothing.
    const revoked = id !== "" && (await sessions.revokeUserSession(user.id, id));
    req.session.flash(
      revoked ? "notice" : "error",
      revoked ? "Session revoked." : "That session had already ended.",
    );
    res.redirect(303, "/sessions");
  });

  web.post("/sessions/revoke-others", requireUser, async (req, res) => {
    const user = currentUser(res)!;
    const count = await sessions.revokeUser(user.id, { except: req.session });
    await tokens.revokeUser(user.id);
    req.session.flash(
      "notice",
      `Signed out ${count} other session${count === 1 ? "" : "s"} and revoked API tokens.`,
    );
    res.redirect(303, "/sessions");
  });

  web.get("/reauth", requireUser, async (req, res) => {
    const csrf = await req.session.csrfToken();
    const body = reauthPage(csrf, currentUser(res)!.username, safeNext(req.query.next));
    return render(ctx, req, res, { title: "Confirm it's you", csrf }, body);
  });

  web.post("/reauth", requireUser, async (req, res) => {
    const user = currentUser(res)!;
    const next = safeNext(field(req, "next"));
    if (
      !(await verifyPassword(field(req, "password") ?? "", user.passwordHash, ctx.passwordCost))
    ) {
      const csrf = await req.session.csrfToken();
      const error = "Wrong password.";
      return render(
        ctx,
        req,
        res,
        { title: "Confirm it's you", csrf, error },
        reauthPage(csrf, user.username, next),
        401,
      );
    }
    // Same user again: data is kept, the token rotates and authTime becomes now.
    await req.session.login(user.id);
    res.redirect(303, next);
  });

  const fresh = requireFresh(ctx.freshFor, "/account/password");
  web.get("/account/password", requireUser, fresh, async (req, res) => {
    const csrf = await req.session.csrfToken();
    const body = passwordPage(csrf, req.session.authTime, ctx.now());
    return render(ctx, req, res, { title: "Change password", nav: "security", csrf }, body);
  });

  web.post("/account/password", requireUser, fresh, async (req, res) => {
    const user = currentUser(res)!;
    const password = field(req, "password");
    const problem = passwordProblem(password);
    if (problem !== undefined) {
      const csrf = await req.session.csrfToken();
      const body = passwordPage(csrf, req.session.authTime, ctx.now());
      return render(
        ctx,
        req,
        res,
        { title: "Change password", nav: "security", csrf, error: problem },
        body,
        400,
      );
    }
    await users.setPasswordHash(user.id, await hashPassword(password!, ctx.passwordCost));
    // A changed password ends every other session and token family (OWASP Session Management).
    const count = await sessions.revokeUser(user.id, { except: req.session });
    await tokens.revokeUser(user.id);
    await req.session.regenerate();
    req.session.flash(
      "notice",
      `Password changed. ${count} other session${count === 1 ? " was" : "s were"} signed out.`,
    );
    res.redirect(303, "/");
  });

  web.use(async (req: Request, res: Response, _next: NextFunction) => {
    await render(ctx, req, res, { title: "Not found" }, errorPage(404, "Page not found"), 404);
  });
  return web;
}
