import type { UserSessionInfo } from "@tessera/session";
import { describeAgent, relative, time } from "../lib/format.js";
import { type Html, html } from "../lib/html.js";
import { csrfField } from "./layout.js";

/** The signed-out home page. */
export function landingPage(cookieName: string): Html {
  return html`<section class="hero" data-testid="signed-out">
  <div>
    <span class="badge">You are signed out</span>
    <h1>Sessions that are secure by default</h1>
    <p class="lead">This small app runs on <code>@tessera/session</code> through the Express adapter.
    Create an account, open it in a second browser, and watch sessions appear, expire and get revoked.</p>
    <div class="row"><a class="button" href="/signup">Create an account</a>
    <a class="button secondary" href="/signin">Sign in</a></div>
  </div>
  <div class="card">
    <h2>What the cookie looks like</h2>
    <p class="cookie"><b>${cookieName}</b>=&lt;256-bit token&gt;.&lt;key id&gt;.&lt;HMAC&gt;; Path=/; Secure; HttpOnly; SameSite=Lax</p>
    <ul class="checks small">
      <li>No <code>Domain</code>, <code>Path=/</code>, Secure: the <code>__Host-</code> prefix holds</li>
      <li>Invisible to JavaScript (<code>HttpOnly</code>)</li>
      <li>The store keeps only a SHA-256 of the token</li>
      <li>New token at every sign-in (no fixation)</li>
      <li>Every form carries a CSRF token</li>
    </ul>
  </div>
</section>`;
}

interface AuthForm {
  csrf: string;
  username?: string | undefined;
  next?: string | undefined;
}

/** Sign-in form. */
export function signInPage(form: AuthForm): Html {
  return html`<div class="card narrow">
  <h1>Sign in</h1>
  <p class="muted small">New here? <a href="/signup">Create an account</a>.</p>
  <form class="stack" method="post" action="/signin">
    ${csrfField(form.csrf)}
    ${form.next === undefined ? "" : html`<input type="hidden" name="next" value="${form.next}">`}
    <label>Username <input type="text" name="username" value="${form.username ?? ""}" autocomplete="username" required autofocus></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <label class="check"><input type="checkbox" name="remember" value="on"> Keep me signed in <span class="hint">survives closing the browser; inactivity still signs you out</span></label>
    <button type="submit">Sign in</button>
  </form>
</div>`;
}

/** Sign-up form. */
export function signUpPage(form: AuthForm): Html {
  return html`<div class="card narrow">
  <h1>Create an account</h1>
  <p class="muted small">Already have one? <a href="/signin">Sign in</a>.</p>
  <form class="stack" method="post" action="/signup">
    ${csrfField(form.csrf)}
    <label>Username <span class="hint">3–32 characters: a–z, 0–9, dot, dash, underscore</span>
      <input type="text" name="username" value="${form.username ?? ""}" autocomplete="username" required autofocus></label>
    <label>Password <span class="hint">at least 8 characters</span>
      <input type="password" name="password" autocomplete="new-password" required minlength="8"></label>
    <button type="submit">Create account</button>
  </form>
</div>`;
}

/** The session facts shown on the overview. */
export interface OverviewView {
  username: string;
  now: number;
  createdAt: number;
  authTime: number | undefined;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  counter: number;
  fresh: boolean;
  freshFor: number;
  csrf: string;
  sessionCount: number;
}

/** The signed-in home page: this session, the counter, security status. */
export function overviewPage(v: OverviewView): Html {
  const expiresAt = Math.min(v.idleExpiresAt, v.absoluteExpiresAt);
  return html`<div class="section-head"><div>
  <h1 data-testid="signed-in">Hello, ${v.username}</h1>
  <p class="lead m0">You are signed in. Everything below lives in a server-side session record.</p>
</div></div>
<div class="grid">
  <section class="card">
    <h2>This session</h2>
    <dl class="facts">
      <dt>Started</dt><dd data-testid="created">${time(v.createdAt, v.now)}</dd>
      <dt>Signed in</dt><dd>${v.authTime === undefined ? "—" : time(v.authTime, v.now)}</dd>
      <dt>Last seen</dt><dd data-testid="last-seen">${time(v.lastSeenAt, v.now)}</dd>
      <dt>Expires if idle</dt><dd data-testid="expires">${time(expiresAt, v.now)}</dd>
      <dt>Expires at the latest</dt><dd>${time(v.absoluteExpiresAt, v.now)}</dd>
    </dl>
  </section>
  <section class="card">
    <h2>Counter</h2>
    <div class="counter">
      <span class="big" data-testid="counter">${v.counter}</span>
      <div class="row">
        <form method="post" action="/counter">${csrfField(v.csrf)}<input type="hidden" name="op" value="reset">
          <button class="secondary" type="submit">Reset</button></form>
        <form method="post" action="/counter">${csrfField(v.csrf)}<input type="hidden" name="op" value="increment">
          <button type="submit" data-testid="increment">+1</button></form>
      </div>
    </div>
    <p class="muted small">Stored in the session with versioned writes: two tabs clicking at once never lose a count.</p>
  </section>
  <section class="card">
    <h2>Security</h2>
    ${
      v.fresh
        ? html`<p><span class="badge ok">Recently signed in</span></p>
    <p class="muted small">Sensitive actions such as a password change are open for ${Math.round(v.freshFor / 60)} minutes after a sign-in.</p>`
        : html`<p><span class="badge warn">Sign-in older than ${Math.round(v.freshFor / 60)} min</span></p>
    <p class="muted small">A password change will ask for your password again first (step-up).</p>`
    }
    <div class="row">
      <a class="button secondary" href="/account/password">Change password</a>
      <a class="button secondary" href="/sessions">${v.sessionCount} active session${v.sessionCount === 1 ? "" : "s"}</a>
    </div>
  </section>
</div>`;
}

/** One row of the sessions page. */
export interface SessionRow {
  info: UserSessionInfo;
  current: boolean;
}

/** "Your sessions" with per-session revoke and "sign out everywhere else". */
export function sessionsPage(rows: SessionRow[], now: number, csrf: string): Html {
  const others = rows.filter((r) => !r.current).length;
  return html`<div class="section-head"><div>
  <h1>Your sessions</h1>
  <p class="lead m0">Every browser or device signed in to your account. Revoking one signs it out at its next request.</p>
</div></div>
<ul class="sessions" data-testid="sessions">
${rows.map(
  ({ info, current }) => html`<li class="card${current ? " current" : ""}" data-testid="session">
  <div>
    <div class="device">${describeAgent(info.userAgent)} ${current ? html`<span class="badge" data-testid="this-device">This device</span>` : ""}</div>
    <div class="meta">
      <span>IP <span class="mono">${info.ip ?? "unknown"}</span></span>
      <span>started ${time(info.createdAt, now)}</span>
      <span>last seen ${time(info.lastSeenAt, now)}</span>
      <span>expires ${relative(info.expiresAt, now)}</span>
    </div>
  </div>
  ${
    current
      ? html`<form method="post" action="/signout">${csrfField(csrf)}<button class="secondary small" type="submit">Sign out</button></form>`
      : html`<form method="post" action="/sessions/revoke">${csrfField(csrf)}<input type="hidden" name="id" value="${info.id}">
          <button class="secondary small" type="submit" data-testid="revoke">Revoke</button></form>`
  }
</li>`,
)}
</ul>
<div class="card danger-zone">
  <div><h2 class="m0">Sign out everywhere else</h2>
  <p class="muted small tight">Ends the ${others} other session${others === 1 ? "" : "s"} and revokes API refresh tokens. This one stays signed in.</p></div>
  <form method="post" action="/sessions/revoke-others">${csrfField(csrf)}
    <button class="danger" type="submit" data-testid="revoke-others">Sign out everywhere else</button></form>
</div>`;
}

/** Step-up: confirm the password before a sensitive action. */
export function reauthPage(csrf: string, username: string, next: string): Html {
  return html`<div class="card narrow" data-testid="reauth">
  <span class="badge warn">Confirm it's you</span>
  <h1>Enter your password again</h1>
  <p class="muted small">This action needs a sign-in from the last few minutes. Signed in as <strong>${username}</strong>.</p>
  <form class="stack" method="post" action="/reauth">
    ${csrfField(csrf)}<input type="hidden" name="next" value="${next}">
    <input type="text" name="username" value="${username}" autocomplete="username" hidden>
    <label>Password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
    <button type="submit">Continue</button>
  </form>
</div>`;
}

/** The sensitive action: change the password (behind the step-up check). */
export function passwordPage(csrf: string, authTime: number | undefined, now: number): Html {
  return html`<div class="card narrow" data-testid="password-page">
  <h1>Change password</h1>
  <p class="muted small">You signed in ${authTime === undefined ? "—" : relative(authTime, now)}. Changing the password signs out every other session.</p>
  <form class="stack" method="post" action="/account/password">
    ${csrfField(csrf)}
    <label>New password <span class="hint">at least 8 characters</span>
      <input type="password" name="password" autocomplete="new-password" required minlength="8"></label>
    <button type="submit">Change password</button>
  </form>
</div>`;
}

/** Errors: 403 (CSRF), 404, 503 (store down), 500. */
export function errorPage(status: number, message: string): Html {
  return html`<div class="card narrow" data-testid="error-page">
  <span class="badge warn">${status}</span>
  <h1>${message}</h1>
  <p class="row"><a class="button secondary" href="/">Back to the start</a></p>
</div>`;
}
