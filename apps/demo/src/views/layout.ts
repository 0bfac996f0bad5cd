import { type Html, html } from "../lib/html.js";

export type NavItem = "home" | "sessions" | "security" | "signin" | "signup";

/** What every page shows around its body. */
export interface Frame {
  title: string;
  username?: string | undefined;
  /** The session's CSRF token; needed whenever the page holds a form (the sign-out button is one). */
  csrf?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  nav?: NavItem | undefined;
  storeLabel: string;
  cookieName: string;
}

/** A hidden CSRF field for a form (session.csrfToken). */
export function csrfField(token: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${token ?? ""}">`;
}

function link(href: string, label: string, item: NavItem, active: NavItem | undefined): Html {
  return html`<a href="${href}"${active === item ? html` aria-current="page"` : ""}>${label}</a>`;
}

/** The page chrome: header with navigation, flash messages, footer. */
export function layout(frame: Frame, body: Html): string {
  const nav =
    frame.username === undefined
      ? html`${link("/signin", "Sign in", "signin", frame.nav)}
        ${link("/signup", "Create account", "signup", frame.nav)}`
      : html`${link("/", "Overview", "home", frame.nav)}
        ${link("/sessions", "Sessions", "sessions", frame.nav)}
        ${link("/account/password", "Security", "security", frame.nav)}
        <span class="who"><span class="avatar" aria-hidden="true">${frame.username.slice(0, 1)}</span>
        <span data-testid="username">${frame.username}</span></span>
        <form class="inline" method="post" action="/signout">${csrfField(frame.csrf)}
          <button class="link" type="submit">Sign out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Tessera demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header class="top"><div class="inner">
  <a class="brand" href="/"><span class="logo" aria-hidden="true"><i></i><i></i><i></i><i></i></span>Tessera demo</a>
  <nav>${nav}</nav>
</div></header>
<main>
${frame.notice === undefined ? "" : html`<div class="flash notice" role="status" data-testid="notice">${frame.notice}</div>`}
${frame.error === undefined ? "" : html`<div class="flash error" role="alert" data-testid="error">${frame.error}</div>`}
${body}
</main>
<footer>Sessions in <strong>${frame.storeLabel}</strong> · cookie <code>${frame.cookieName}</code> · HttpOnly; Secure; SameSite=Lax; Path=/ · built with @tessera/session and @tessera/express</footer>
</body>
</html>
`.value;
}
