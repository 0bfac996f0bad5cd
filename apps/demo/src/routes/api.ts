import { readBearerToken, type TokenPair, unauthorizedResponse } from "@tessera/tokens";
import express, { type Response as ExpressResponse, type Router } from "express";
import type { DemoContext } from "../context.js";
import { field } from "../lib/forms.js";
import { verifyPassword } from "../password.js";
import { normalizeUsername } from "../users.js";

const REALM = "tessera-demo";

/** RFC 6749 §5.1 field names; `no-store` because the body carries credentials. */
function sendPair(res: ExpressResponse, pair: TokenPair): void {
  res.set("cache-control", "no-store").json({
    token_type: pair.tokenType,
    access_token: pair.accessToken,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
    refresh_expires_in: pair.refreshExpiresIn,
  });
}

/** RFC 6749 §5.2 error body. */
function sendError(res: ExpressResponse, status: number, error: string): void {
  res.status(status).set("cache-control", "no-store").json({ error });
}

async function sendFetch(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    res.set(name, value);
  });
  res.send(await response.text());
}

/**
 * The small JSON API on @tessera/tokens. It never reads the session cookie:
 * it is mounted before the session middleware, takes credentials only in
 * the body or the `Authorization` header (bearer credentials never travel in
 * a URL), and so needs no CSRF token.
 */
export function apiRouter(ctx: DemoContext): Router {
  const api = express.Router();
  api.use(express.json({ limit: "4kb" }), express.urlencoded({ extended: false, limit: "4kb" }));

  api.post("/token", async (req, res) => {
    const username = normalizeUsername(field(req, "username"));
    const password = field(req, "password");
    if (password === undefined || field(req, "username") === undefined) {
      return sendError(res, 400, "invalid_request");
    }
    const user = username === null ? undefined : ctx.users.findByUsername(username);
    if (!(await verifyPassword(password, user?.passwordHash, ctx.passwordCost)) || !user) {
      return sendError(res, 400, "invalid_grant");
    }
    sendPair(res, await ctx.tokens.issue(user.id));
  });

  api.post("/refresh", async (req, res) => {
    const token = field(req, "refresh_token");
    if (token === undefined) return sendError(res, 400, "invalid_request");
    const result = await ctx.tokens.refresh(token);
    // One answer for every refusal (reused, expired, revoked, ...): RFC 6749 §5.2 invalid_grant.
    if (!result.ok) return sendError(res, 400, "invalid_grant");
    sendPair(res, result.pair);
  });

  api.post("/logout", async (req, res) => {
    const token = field(req, "refresh_token");
    if (token === undefined) return sendError(res, 400, "invalid_request");
    await ctx.tokens.revokeRefreshToken(token);
    res.status(204).end();
  });

  api.get("/me", async (req, res) => {
    const read = readBearerToken(req.headers.authorization);
    if (!read.ok) return sendFetch(res, unauthorizedResponse(read, { realm: REALM }));
    const seen = await ctx.tokens.verify(read.token);
    if (!seen.ok) return sendFetch(res, unauthorizedResponse(seen, { realm: REALM }));
    const user = ctx.users.findById(seen.claims.sub);
    if (user === undefined) {
      return sendFetch(res, unauthorizedResponse({ reason: "invalid" }, { realm: REALM }));
    }
    res.set("cache-control", "no-store").json({
      id: user.id,
      username: user.username,
      authTime: seen.claims.auth_time,
      expiresAt: seen.claims.exp,
    });
  });

  api.use((_req, res) => sendError(res, 404, "not_found"));
  return api;
}
