import { describe, expect, it } from "vitest";
import { cookieHeaderAfter, currentCookieHeader } from "../src/lib/cookie-header.js";

const NAME = "__Host-sid";
const jarOf = (header: string) =>
  header === ""
    ? []
    : header.split("; ").map((pair) => {
        const eq = pair.indexOf("=");
        return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
      });

describe("currentCookieHeader", () => {
  it("keeps the raw header when cookies() shows the same session cookies", () => {
    const raw = `a=1; ${NAME}=tok.k1.mac; b="quoted"`;
    expect(currentCookieHeader(raw, jarOf(raw), NAME)).toBe(raw);
  });

  it("takes the session cookies from cookies() when this request changed them, keeping the rest verbatim", () => {
    const raw = `a=1; ${NAME}=old; b=2`;
    expect(
      currentCookieHeader(raw, [...jarOf("a=1; b=2"), { name: NAME, value: "new" }], NAME),
    ).toBe(`a=1; b=2; ${NAME}=new`);
  });

  it("leaves out a session cookie deleted during the request, chunks included", () => {
    const raw = `${NAME}.0=x; ${NAME}.1=y; a=1`;
    const jar = [
      { name: `${NAME}.0`, value: "" },
      { name: `${NAME}.1`, value: "" },
      { name: "a", value: "1" },
    ];
    expect(currentCookieHeader(raw, jar, NAME)).toBe("a=1");
  });

  it("keeps the raw header when the session cookie was sent twice", () => {
    const raw = `${NAME}=first; ${NAME}=second`;
    expect(currentCookieHeader(raw, [{ name: NAME, value: "other" }], NAME)).toBe(raw);
  });

  it("never builds a header from a decoded value that could add a pair", () => {
    const raw = `${NAME}=a%3B%20${encodeURIComponent(`${NAME}.0`)}%3Dx`;
    const jar = [{ name: NAME, value: `a; ${NAME}.0=x` }];
    expect(currentCookieHeader(raw, jar, NAME)).toBe(raw);
  });

  it("ignores names that only start like the session cookie", () => {
    const raw = `${NAME}.extra=1; ${NAME}x=2`;
    expect(currentCookieHeader(raw, [{ name: `${NAME}.extra`, value: "changed" }], NAME)).toBe(raw);
  });
});

describe("cookieHeaderAfter", () => {
  it("replaces what the lines set, drops what they clear, and keeps the other cookies verbatim", () => {
    const raw = `x=1; ${NAME}.0=a; ${NAME}.1=b; ${NAME}.2=c; y="q"`;
    const lines = [
      `${NAME}.0=A; Path=/; HttpOnly; Secure; SameSite=Lax`,
      `${NAME}.1=B; Path=/; HttpOnly; Secure; SameSite=Lax`,
      `${NAME}.2=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly`,
    ];
    expect(cookieHeaderAfter(raw, lines)).toBe(`x=1; y="q"; ${NAME}.0=A; ${NAME}.1=B`);
  });

  it("adds a cookie the request did not carry", () => {
    expect(cookieHeaderAfter("", [`${NAME}=new; Path=/; Secure; HttpOnly`])).toBe(`${NAME}=new`);
  });

  it("drops every copy of a cleared name", () => {
    const raw = `${NAME}=one; a=1; ${NAME}=two`;
    expect(cookieHeaderAfter(raw, [`${NAME}=; Path=/; Max-Age=0; Secure; HttpOnly`])).toBe("a=1");
  });
});
