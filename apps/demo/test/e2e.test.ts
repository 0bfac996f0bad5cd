import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomToken } from "@tessera/signing";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemo } from "../src/create-app.js";
import { CHROMIUM } from "./global-setup.js";

// Real Chromium against the demo on http://localhost: the secure-context rule
// for localhost is what lets the Secure __Host- cookie work without HTTPS, so
// the URL must say localhost, not 127.0.0.1.
const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PASSWORD = "correct horse battery staple";

let server: Server;
let base = "";
let profile = "";
let first: BrowserContext;
let second: BrowserContext;

beforeAll(async () => {
  // The real scrypt cost: this is the one test that signs in the way a user does.
  const { app } = await createDemo({ secret: randomToken(32) });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), "tessera-demo-e2e-"));
  // A fresh profile directory (Playwright takes it as userDataDir, not as an argument).
  first = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1100, height: 760 },
  });
  // A second, separate cookie jar in the same browser: "another device".
  const browser = first.browser();
  if (browser === null) throw new Error("persistent context has no browser handle");
  second = await browser.newContext({ viewport: { width: 1100, height: 760 } });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await first?.close();
  server?.closeAllConnections();
  server?.close();
  if (profile !== "") rmSync(profile, { recursive: true, force: true });
});

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]:has-text("Sign in")');
  await page.waitForSelector('[data-testid="signed-in"]');
}

describe("demo in Chromium", () => {
  it("keeps the session cookie secure, hidden from scripts, and revocable from another device", async () => {
    const username = `e2e-${randomToken(16)
      .slice(0, 6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`;
    const a = await first.newPage();

    // Sign up.
    await a.goto(`${base}/signup`);
    await a.fill('input[name="username"]', username);
    await a.fill('input[name="password"]', PASSWORD);
    await a.click('button[type="submit"]');
    await a.waitForSelector('[data-testid="signed-in"]');
    expect(await a.textContent('[data-testid="notice"]')).toContain("Account created");

    // The cookie as the browser stored it.
    const cookies = await first.cookies(base);
    const session = cookies.find((c) => c.name === "__Host-sid");
    expect(session).toMatchObject({
      name: "__Host-sid",
      domain: "localhost", // no leading dot: host-only, no Domain attribute
      path: "/",
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      expires: -1, // a browser-session cookie: no Max-Age/Expires
    });
    expect(cookies.filter((c) => c.name.startsWith("__Host-sid"))).toHaveLength(1);

    // Scripts cannot read it; a script-set cookie shows that document.cookie itself works.
    const seen = await a.evaluate(() => {
      // biome-ignore lint/suspicious/noDocumentCookie: the test is about what document.cookie sees
      document.cookie = "probe=1; path=/";
      return document.cookie;
    });
    expect(seen).toBe("probe=1");
    expect(seen).not.toContain("__Host-sid");
    expect(seen).not.toContain(session!.value);

    // The counter, through a CSRF-protected form.
    await a.click('[data-testid="increment"]');
    await a.waitForSelector('[data-testid="counter"]:has-text("1")');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await a.screenshot({ path: join(SCREENSHOTS, "overview.png"), fullPage: true });

    // Sign out: the cookie goes and the page is the signed-out one.
    await a.click('nav button:has-text("Sign out")');
    await a.waitForSelector('[data-testid="signed-out"]');
    expect((await first.cookies(base)).some((c) => c.name === "__Host-sid")).toBe(false);

    // Sign in again here, and on the second device.
    await signIn(a, username);
    const b = await second.newPage();
    await signIn(b, username);

    await b.goto(`${base}/sessions`);
    expect(await b.locator('[data-testid="session"]').count()).toBe(2);
    expect(await b.locator('[data-testid="this-device"]').count()).toBe(1);
    const shot = join(SCREENSHOTS, "sessions.png");
    await b.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    // "Sign out everywhere else" on the second device ends the first one's session.
    await b.click('[data-testid="revoke-others"]');
    await b.waitForSelector('[data-testid="notice"]:has-text("Signed out 1 other session")');
    expect(await b.locator('[data-testid="session"]').count()).toBe(1);

    await a.reload();
    await a.waitForSelector('[data-testid="signed-out"]');
    expect((await first.cookies(base)).some((c) => c.name === "__Host-sid")).toBe(false);
    // The second device is still signed in.
    await b.goto(`${base}/`);
    await b.waitForSelector('[data-testid="signed-in"]');
  }, 60_000);
});
