import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEnv } from "../../../scripts/test-env.js";
import { CHROMIUM } from "./global-setup.js";

// The demo built with `next build` and served by `next start`, driven by
// Chromium. The server listens on 127.0.0.1 and the browser says
// "localhost": browsers treat http://localhost as a secure context, which is
// what lets the Secure, __Host- cookie work without HTTPS.
const APP = fileURLToPath(new URL("..", import.meta.url));
const NEXT = createRequire(import.meta.url).resolve("next/dist/bin/next");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const PASSWORD = "correct horse battery staple";
// Short enough to watch in a test: a token older than 2 s is renewed, and
// the replaced one is refused at once, so a render that read it would show it.
const RENEW_AFTER_SECONDS = 2;
const STEP_UP_SECONDS = 3;

let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilUp(url: string, deadline: number, output: () => string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer in time:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

beforeAll(async () => {
  const build = spawnSync(process.execPath, [NEXT, "build"], {
    cwd: APP,
    env: ENV,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

/** `next start` with the demo's store chosen by `store`; resolves to its base URL. */
async function startServer(store: Record<string, string>): Promise<{ base: string; stop(): void }> {
  const port = await freePort();
  let output = "";
  const server: ChildProcess = spawn(
    process.execPath,
    [NEXT, "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      cwd: APP,
      // Its own process group, so stop() ends this server and nothing else.
      detached: true,
      env: {
        ...ENV,
        ...store,
        TESSERA_RENEW_AFTER: String(RENEW_AFTER_SECONDS),
        TESSERA_RENEW_GRACE: "0",
        TESSERA_STEP_UP_SECONDS: String(STEP_UP_SECONDS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  const stop = () => {
    if (server.pid === undefined) return;
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/`, Date.now() + 60_000, () => output);
  } catch (error) {
    stop();
    throw error;
  }
  return { base: `http://localhost:${port}`, stop };
}

const STORES: Array<[string, () => Record<string, string>]> = [
  ["memory", () => ({ TESSERA_STORE: "memory" })],
  ["redis", () => ({ TESSERA_STORE: "redis", REDIS_URL: serviceEnv("REDIS_URL") })],
];

describe.each(STORES)("Next.js demo in Chromium, sessions in %s", (_name, storeEnv) => {
  let base = "";
  let stop = () => {};

  beforeAll(async () => {
    ({ base, stop } = await startServer(storeEnv()));
  });

  afterAll(() => stop());

  async function sessionCookie(context: BrowserContext) {
    return (await context.cookies(base)).find((c) => c.name === "__Host-sid");
  }

  async function text(page: Page, testId: string): Promise<string> {
    return (await page.getByTestId(testId).textContent())?.trim() ?? "";
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.getByTestId("signed-in").waitFor();
  }

  async function increment(page: Page, expected: number): Promise<void> {
    await page.getByTestId("increment").click();
    await page.locator(`[data-testid="counter"]:text-is("${expected}")`).waitFor();
  }

  const username = `e2e-${Date.now().toString(36)}`;

  it("sets a __Host-, HttpOnly, Secure, SameSite=Lax cookie and keeps the counter across Server Actions", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(await text(page, "session-id")).toBe("none");
    expect(await sessionCookie(context)).toBeUndefined();

    await increment(page, 1);
    expect(await sessionCookie(context)).toMatchObject({
      domain: "localhost", // host-only: no Domain attribute
      path: "/",
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      expires: -1,
    });
    await increment(page, 2);
    await increment(page, 3);
    await page.reload();
    expect(await text(page, "counter")).toBe("3");

    // Signing in regenerates the id and carries the counter over.
    const anonymous = await text(page, "session-id");
    await signIn(page, username);
    expect(await text(page, "user")).toBe(username);
    expect(await text(page, "counter")).toBe("3");
    expect(await text(page, "session-id")).not.toBe(anonymous);
    await increment(page, 4);

    // A Pages Router API route (pages/api/count.ts) sees the same session,
    // and the App Router page then shows the change it made.
    const api = await page.evaluate(async () => {
      const response = await fetch("/api/count", { method: "POST" });
      return { status: response.status, body: await response.json() };
    });
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ user: username, count: 5 });
    await page.reload();
    expect(await text(page, "counter")).toBe("5");
    expect(await text(page, "user")).toBe(username);
    // A POST that is not the page's own (no Sec-Fetch-Site: same-origin, yet
    // with the cookie) is refused: the count stays.
    const notOwn = await page.request.post(`${base}/api/count`);
    expect(notOwn.status()).toBe(403);
    await page.reload();
    expect(await text(page, "counter")).toBe("5");
    await context.close();
  });

  it("shows the session that middleware renewed in the same request", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, `${username}-renew`);
    const before = await text(page, "session-id");
    const cookieBefore = (await sessionCookie(context))?.value;

    await page.waitForTimeout(RENEW_AFTER_SECONDS * 1000 + 500);
    const response = await page.reload();
    const setCookie = (await response?.headerValue("set-cookie")) ?? "";
    expect(setCookie).toContain("__Host-sid=");
    // This render already read the renewed session: a new id, still signed in,
    // and no refusal of the replaced cookie (it is refused at once here).
    const renewed = await text(page, "session-id");
    expect(renewed).not.toBe(before);
    expect(await page.getByTestId("rejected").count()).toBe(0);
    expect(await page.getByTestId("signed-in").count()).toBe(1);
    const cookieAfter = (await sessionCookie(context))?.value;
    expect(cookieAfter).not.toBe(cookieBefore);

    // The next request, with the cookie the browser now holds, is the same session.
    await page.reload();
    expect(await text(page, "session-id")).toBe(renewed);

    // A sign-out in a request that the proxy also renews: the proxy's new
    // cookie and the action's clearing go out in one response, and the
    // clearing must be what the browser keeps.
    await page.waitForTimeout(RENEW_AFTER_SECONDS * 1000 + 500);
    const action = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByTestId("sign-out").click();
    const lines = (await (await action).headersArray())
      .filter((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("__Host-sid="))
      .map((h) => h.value);
    // The proxy's renewed cookie first, then the action's clearing: browsers apply them in order.
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain("Max-Age=0");
    expect(lines[1]).toContain("Max-Age=0");
    await page.getByTestId("signed-out").waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
    await context.close();
  });

  it("lists both browsers in 'your sessions', signs the others out, and a logout rejects a copied cookie", async () => {
    const user = `${username}-two`;
    const one = await browser.newContext({ userAgent: "Browser One" });
    const two = await browser.newContext({ userAgent: "Browser Two" });
    const a = await one.newPage();
    const b = await two.newPage();
    await signIn(a, user);
    await signIn(b, user);

    await a.goto(`${base}/sessions`);
    await b.goto(`${base}/sessions`);
    for (const page of [a, b]) {
      const rows = page.getByTestId("session-row");
      expect(await rows.count()).toBe(2);
      expect(await page.locator('[data-current="true"]').count()).toBe(1);
      const listed = await rows.allTextContents();
      expect(listed.some((row) => row.includes("Browser One"))).toBe(true);
      expect(listed.some((row) => row.includes("Browser Two"))).toBe(true);
    }

    // Browser two signs every other session out; browser one is signed out.
    await b.getByTestId("sign-out-others").click();
    await b.locator('[data-testid="notice"]').waitFor();
    expect(await b.getByTestId("session-row").count()).toBe(1);
    await a.goto(`${base}/`);
    expect(await a.getByTestId("signed-out").count()).toBe(1);

    // A copy of browser two's cookie, taken before it signs out.
    const copied = await sessionCookie(two);
    expect(copied).toBeDefined();
    await b.goto(`${base}/`);
    await b.getByTestId("sign-out").click();
    await b.getByTestId("signed-out").waitFor();
    expect(await sessionCookie(two)).toBeUndefined();

    // Replayed from a third browser: the server no longer knows it.
    const thief = await browser.newContext();
    await thief.addCookies([copied!]);
    const t = await thief.newPage();
    await t.goto(`${base}/`);
    expect(await t.getByTestId("signed-out").count()).toBe(1);
    expect(await t.getByTestId("signed-in").count()).toBe(0);
    for (const context of [one, two, thief]) await context.close();
  });

  it("asks for the password again on the step-up page once the sign-in is no longer fresh", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, `${username}-step`);
    await page.goto(`${base}/step-up`);
    await page.getByTestId("step-up-ok").waitFor();

    await page.waitForTimeout(STEP_UP_SECONDS * 1000 + 500);
    await page.goto(`${base}/step-up`);
    await page.getByTestId("step-up-form").waitFor();
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button:has-text("Confirm")');
    await page.getByTestId("step-up-ok").waitFor();
    await context.close();
  });
});
