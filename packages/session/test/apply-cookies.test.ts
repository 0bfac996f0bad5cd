import { describe, expect, it } from "vitest";
import { applyCookies } from "../src/apply-cookies.js";

const a = "a=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
const b = "b=2; Path=/; HttpOnly";

describe("applyCookies", () => {
  it('appends each Set-Cookie as its own field (never joined with ", "), and adds no-store and Vary: Cookie', () => {
    const res = applyCookies(new Response("ok"), [a, b]);
    expect(res.headers.getSetCookie()).toEqual([a, b]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("vary")).toBe("Cookie");
  });

  it("keeps cookies the app set and extends Vary", () => {
    const res = new Response("ok", { headers: { "set-cookie": "app=1", vary: "Accept" } });
    applyCookies(res, [a]);
    expect(res.headers.getSetCookie()).toEqual(["app=1", a]);
    expect(res.headers.get("vary")).toBe("Accept, Cookie");
  });

  it("does nothing without cookies", () => {
    const res = applyCookies(new Response("ok"), []);
    expect(res.headers.get("cache-control")).toBeNull();
  });

  it("copies a response whose headers are immutable", () => {
    const redirect = Response.redirect("https://app.test/", 303);
    const res = applyCookies(redirect, [b]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("https://app.test/");
    expect(res.headers.getSetCookie()).toEqual([b]);
  });
});
