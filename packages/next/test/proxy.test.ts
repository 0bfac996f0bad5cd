import { parseSetCookie } from "@tessera/cookie";
import { randomToken } from "@tessera/signing";
import { StoreUnavailableError } from "@tessera/store";
import { NextResponse } from "next/server.js";
import { describe, expect, it } from "vitest";
import { setup, setupStateless } from "./helpers.js";

const MIN = 60 * 1000;

/** The request headers Next.js renders with after `NextResponse.next({ request: { headers } })`. */
function forwardedCookie(response: Response): string | null | undefined {
  const names = response.headers.get("x-middleware-override-headers");
  if (names === null) return undefined;
  return names.split(",").includes("cookie")
    ? response.headers.get("x-middleware-request-cookie")
    : null;
}

function page(header: string): Request {
  return new Request("https://app.example/account", {
    headers: { cookie: header, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0" },
  });
}

async function signedIn(options: Parameters<typeof setup>[0] = {}) {
  const ctx = setup(options);
  ctx.browser.cookies.set("theme", "dark");
  await ctx.act((session) => session.login("alice"));
  return ctx;
}

describe("proxy (middleware)", () => {
  // Pins vercel/next.js#49442: a cookie renewed in middleware must reach the same request's Server Components.
  it("forwards a renewed cookie so the same request's Server Components read the new session", async () => {
    const { next, browser, time, request } = await signedIn({ renewAfter: 60, renewGrace: 0 });
    request.begin(browser.header());
    const before = (await next.getSession()).id;

    time.advance(2 * MIN);
    const response = await next.proxy(page(browser.header()));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    const lines = response.headers.getSetCookie();
    expect(lines).toHaveLength(1);
    expect(response.headers.get("cache-control")).toBe("no-store");

    const forwarded = forwardedCookie(response);
    expect(forwarded).toContain("theme=dark");
    // The Server Component of this request renders with the forwarded header.
    request.begin(forwarded!);
    const session = await next.getSession();
    expect(session.userId).toBe("alice");
    expect(session.rejected).toBeUndefined();
    expect(session.id).not.toBe(before);

    // Without the forwarding it would have read the cookie just replaced (no grace here).
    request.begin(browser.header());
    expect((await next.getSession()).rejected).toBe("renewal_reuse");

    // And the browser, once it applied the response, carries the same session on.
    browser.apply(lines);
    request.begin(browser.header());
    expect((await next.getSession()).id).toBe(session.id);
  });

  it("slides a persistent cookie's Max-Age forward", async () => {
    const { next, browser, time } = await signedIn({ cookie: { persistent: true } });
    time.advance(10 * MIN);
    const response = await next.proxy(page(browser.header()));
    const [line] = response.headers.getSetCookie();
    expect(parseSetCookie(line!)!.attributes.maxAge).toBe(1800);
    expect(forwardedCookie(response)).toContain("theme=dark");
  });

  it("passes an unchanged session through without a cookie or forwarded headers", async () => {
    const { next, browser } = await signedIn();
    const response = await next.proxy(page(browser.header()));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(forwardedCookie(response)).toBeUndefined();
  });

  it("clears a rejected cookie and forwards the request without it", async () => {
    const { next, sessions } = setup();
    const response = await next.proxy(page(`a=1; ${sessions.cookieName}=forged.value; b=2`));
    const [line] = response.headers.getSetCookie();
    expect(parseSetCookie(line!)).toMatchObject({
      name: sessions.cookieName,
      attributes: { maxAge: 0 },
    });
    expect(forwardedCookie(response)).toBe("a=1; b=2");
  });

  it("forwards re-sealed stateless chunks in place of the old ones", async () => {
    const { time, request, next, browser, act } = setupStateless();
    const blob = [randomToken(1024), randomToken(1024), randomToken(1024)].join("");
    await act(async (session) => {
      await session.login("alice");
      session.set("blob", blob);
    });

    time.advance(2 * MIN);
    const response = await next.proxy(page(`x=1; ${browser.header()}`));
    const forwarded = forwardedCookie(response)!;
    expect(forwarded.startsWith("x=1; __Host-sid.0=")).toBe(true);
    expect(forwarded).not.toContain(browser.cookies.get("__Host-sid.0"));
    request.begin(forwarded);
    expect((await next.getSession()).get("blob")).toBe(blob);
  });

  it("lets decide answer instead, with the cookies on its response", async () => {
    const { next, browser, time } = await signedIn({ cookie: { persistent: true } });
    time.advance(10 * MIN);
    const response = await next.proxy(page(browser.header()), (session) =>
      session.isFresh(300) ? undefined : NextResponse.redirect("https://app.example/step-up"),
    );
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("https://app.example/step-up");
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });

  it("answers 503 without a cookie when the store is down", async () => {
    const { next, browser, memory } = await signedIn();
    memory.get = async () => {
      throw new StoreUnavailableError("injected outage");
    };
    const response = await next.proxy(page(browser.header()));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("commits nothing on HEAD", async () => {
    const { next, browser, time, calls } = await signedIn({ cookie: { persistent: true } });
    time.advance(10 * MIN);
    const touches = calls.touch;
    const head = new Request(page(browser.header()), { method: "HEAD" });
    const response = await next.proxy(head);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(calls.touch).toBe(touches);
  });
});
