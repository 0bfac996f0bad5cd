import { describe, expect, it } from "vitest";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError, type CookieErrorCode } from "../src/errors.js";
import { serializeSetCookie } from "../src/serialize-set-cookie.js";
import type { SerializeOptions } from "../src/types.js";

const DAY = 86_400_000;
const id = "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g";

/** Calls the serializer with a name and options TypeScript would not accept. */
function loose(name: unknown, value: unknown, options?: unknown): string {
  return (serializeSetCookie as (n: unknown, v: unknown, o?: unknown) => string)(
    name,
    value,
    options,
  );
}

function codeOf(run: () => unknown): CookieErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (CookieError.isInstance(error)) return error.code;
    throw error;
  }
  return "no error";
}

describe("serializeSetCookie", () => {
  it("writes the library defaults for a session cookie", () => {
    expect(serializeSetCookie("__Host-sid", id, secureCookieDefaults)).toBe(
      `__Host-sid=${id}; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
  });

  it("adds Max-Age and a matching Expires for a persistent cookie", () => {
    const expires = new Date(Date.now() + 1_209_600_000);
    const line = serializeSetCookie("__Host-sid", id, {
      ...secureCookieDefaults,
      maxAge: 1_209_600,
      expires,
    });
    expect(line).toBe(
      `__Host-sid=${id}; Path=/; Expires=${expires.toUTCString()}; Max-Age=1209600; HttpOnly; Secure; SameSite=Lax`,
    );
  });

  it("writes every attribute once, in a fixed order", () => {
    const expires = Date.now() + 3_600_000;
    expect(
      serializeSetCookie("__Secure-sid", "v", {
        priority: "high",
        partitioned: true,
        sameSite: "none",
        secure: true,
        httpOnly: true,
        maxAge: 3600,
        expires,
        domain: "example.com",
        path: "/app",
      }),
    ).toBe(
      `__Secure-sid=v; Path=/app; Domain=example.com; Expires=${new Date(expires).toUTCString()}; Max-Age=3600; HttpOnly; Secure; SameSite=None; Partitioned; Priority=High`,
    );
  });

  it.each<[string, string, SerializeOptions, string]>([
    ["sid", "abc", {}, "sid=abc"],
    ["a!#$%&'*+-.^_`|~1", "x", {}, "a!#$%&'*+-.^_`|~1=x"],
    ["sid", "", {}, "sid="],
    ["theme", "dark mode", {}, "theme=dark%20mode"],
    ["k", "100%", {}, "k=100%25"],
    ["k", "é", {}, "k=%C3%A9"],
    ["k", "😄", {}, "k=%F0%9F%98%84"],
    ["k", '"quoted"', { encode: "raw" }, 'k="quoted"'],
    ["k", "a%zz", { encode: "raw" }, "k=a%zz"],
    ["k", "v", { maxAge: 0 }, "k=v; Max-Age=0"],
    ["k", "v", { maxAge: 34_560_000 }, "k=v; Max-Age=34560000"],
    [
      "k",
      "v",
      { expires: Date.UTC(2000, 11, 24, 10, 30, 59, 900) },
      "k=v; Expires=Sun, 24 Dec 2000 10:30:59 GMT",
    ],
    ["k", "v", { path: "/" }, "k=v; Path=/"],
    ["k", "v", { path: "/foo=bar?baz" }, "k=v; Path=/foo=bar?baz"],
    ["k", "v", { domain: "example.com" }, "k=v; Domain=example.com"],
    ["k", "v", { domain: "sub.example.com" }, "k=v; Domain=sub.example.com"],
    ["k", "v", { domain: "a".repeat(63) + ".com" }, `k=v; Domain=${"a".repeat(63)}.com`],
    ["k", "v", { sameSite: "LAX" }, "k=v; SameSite=Lax"],
    ["k", "v", { sameSite: "Strict" }, "k=v; SameSite=Strict"],
    ["k", "v", { sameSite: "none", secure: true }, "k=v; Secure; SameSite=None"],
    ["k", "v", { priority: "high" }, "k=v; Priority=High"],
    ["k", "v", { priority: "LOW" }, "k=v; Priority=Low"],
    ["k", "v", { httpOnly: false, secure: false, partitioned: false }, "k=v"],
    ["__Host-sid", "v", { secure: true }, "__Host-sid=v; Path=/; Secure"],
    ["__Host-sid", "v", { secure: true, path: "/" }, "__Host-sid=v; Path=/; Secure"],
    [
      "__Secure-sid",
      "v",
      { secure: true, domain: "example.com" },
      "__Secure-sid=v; Domain=example.com; Secure",
    ],
    ["__Http-sid", "v", { secure: true, httpOnly: true }, "__Http-sid=v; HttpOnly; Secure"],
    [
      "__Host-Http-sid",
      "v",
      { secure: true, httpOnly: true },
      "__Host-Http-sid=v; Path=/; HttpOnly; Secure",
    ],
    [
      "__Host-x",
      "v",
      { partitioned: true, sameSite: "none", secure: true, path: "/" },
      "__Host-x=v; Path=/; Secure; SameSite=None; Partitioned",
    ],
    ["sid", "x".repeat(4092), {}, `sid=${"x".repeat(4092)}`],
    ["_Host-sid", "v", {}, "_Host-sid=v"],
    ["__Hostile", "v", {}, "__Hostile=v"],
  ])("accepts %s=%s with %j", (name, value, options, expected) => {
    expect(loose(name, value, options)).toBe(expected);
  });

  // Every input the serializer must refuse, with the code it must get.
  const future = (days: number) => Date.now() + days * DAY;
  it.each<[string, unknown, unknown, unknown, CookieErrorCode]>([
    // CVE-2024-47764 class: attribute injection through the name
    ["injection", "userName=<script>; Max-Age=2592000; a", "test", {}, "ERR_COOKIE_INVALID_NAME"],
    // names that are not RFC 9110 tokens (RFC 6265bis §4.1.1: cookie-name = token)
    ...[
      "",
      "a b",
      "a\tb",
      "a\nb",
      "a\rb",
      "a;b",
      "a=b",
      "a,b",
      'a"b',
      "a\\b",
      "a/b",
      "a@b",
      "a:b",
      "a?b",
      "a[b",
      "a{b",
      "a(b",
      "a<b",
      "\u0000",
      "\u007f",
      "\u280a",
      "é",
    ].map((name): [string, unknown, unknown, unknown, CookieErrorCode] => [
      "name",
      name,
      "v",
      {},
      "ERR_COOKIE_INVALID_NAME",
    ]),
    ["name not a string", 42, "v", {}, "ERR_COOKIE_INVALID_NAME"],
    // raw values outside cookie-octet (RFC 6265bis §4.1.1)
    ...[";", "a\r\nb", "a b", '"', "a,b", "a\\b", "\u0000", "é", 'a"b"'].map(
      (value): [string, unknown, unknown, unknown, CookieErrorCode] => [
        "raw value",
        "k",
        value,
        { encode: "raw" },
        "ERR_COOKIE_INVALID_VALUE",
      ],
    ),
    ["lone surrogate", "k", "\ud800", {}, "ERR_COOKIE_INVALID_VALUE"],
    ["value not a string", "k", 1, {}, "ERR_COOKIE_INVALID_VALUE"],
    ["unknown encoder", "k", "a b", { encode: "base64" }, "ERR_COOKIE_INVALID_OPTION"],
    // domains that are not host names, or would inject an attribute
    ...[
      "example.com; Path=/",
      "example.com\n",
      "example.com /* x */",
      "my site.org",
      "domain..com",
      "example.com.",
      "-example.com",
      ".",
      "a".repeat(64) + ".com",
      ".example.com",
      "exa_mple.com",
      "example-.com",
      "",
      "é.com",
    ].map((domain): [string, unknown, unknown, unknown, CookieErrorCode] => [
      "domain",
      "k",
      "v",
      { domain },
      "ERR_COOKIE_INVALID_DOMAIN",
    ]),
    ["domain not a string", "k", "v", { domain: 1 }, "ERR_COOKIE_INVALID_DOMAIN"],
    // paths that are not absolute, or would inject an attribute
    ...[
      "/; Path=/sensitive-data",
      "/\n",
      "/foo\u0000",
      "/path/with\rnewline",
      '/login"><script>alert(1)</script>',
      "admin",
      "",
      "/a b",
      "/é",
    ].map((path): [string, unknown, unknown, unknown, CookieErrorCode] => [
      "path",
      "k",
      "v",
      { path },
      "ERR_COOKIE_INVALID_PATH",
    ]),
    // prefixes (RFC 6265bis §4.1.3): __Secure- needs Secure; __Host- also Path=/ and no
    // Domain; __Http- needs HttpOnly; a prefix in another case is refused outright
    ["__Host- insecure", "__Host-sid", "v", { secure: false }, "ERR_COOKIE_PREFIX_VIOLATION"],
    ["__Host- no options", "__Host-sid", "v", undefined, "ERR_COOKIE_PREFIX_VIOLATION"],
    [
      "__Host- domain",
      "__Host-sid",
      "v",
      { secure: true, domain: "example.com" },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    [
      "__Host- path",
      "__Host-sid",
      "v",
      { secure: true, path: "/admin" },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    ["__Secure- insecure", "__Secure-sid", "v", { secure: false }, "ERR_COOKIE_PREFIX_VIOLATION"],
    [
      "__Http- without httpOnly",
      "__Http-sid",
      "v",
      { secure: true },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    [
      "__Http- without secure",
      "__Http-sid",
      "v",
      { httpOnly: true },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    [
      "__Host-Http- domain",
      "__Host-Http-sid",
      "v",
      { secure: true, httpOnly: true, domain: "example.com" },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    [
      "__Host-Http- no httpOnly",
      "__Host-Http-sid",
      "v",
      { secure: true },
      "ERR_COOKIE_PREFIX_VIOLATION",
    ],
    ["__host-", "__host-sid", "v", { secure: true }, "ERR_COOKIE_PREFIX_CASE"],
    ["__HOST-", "__HOST-sid", "v", { secure: true }, "ERR_COOKIE_PREFIX_CASE"],
    ["__SeCuRe-", "__SeCuRe-sid", "v", { secure: true }, "ERR_COOKIE_PREFIX_CASE"],
    ["__http-", "__http-sid", "v", { secure: true, httpOnly: true }, "ERR_COOKIE_PREFIX_CASE"],
    [
      "__Host-http-",
      "__Host-http-sid",
      "v",
      { secure: true, httpOnly: true },
      "ERR_COOKIE_PREFIX_CASE",
    ],
    // SameSite=None and Partitioned need Secure (browsers drop them otherwise)
    [
      "SameSite=None insecure",
      "sid",
      "v",
      { sameSite: "none", secure: false },
      "ERR_COOKIE_SECURE_REQUIRED",
    ],
    ["SameSite=NONE insecure", "sid", "v", { sameSite: "NONE" }, "ERR_COOKIE_SECURE_REQUIRED"],
    [
      "Partitioned insecure",
      "sid",
      "v",
      { partitioned: true, secure: false },
      "ERR_COOKIE_SECURE_REQUIRED",
    ],
    // enums
    ["sameSite foo", "k", "v", { sameSite: "foo" }, "ERR_COOKIE_INVALID_SAME_SITE"],
    ["sameSite 1", "k", "v", { sameSite: 1 }, "ERR_COOKIE_INVALID_SAME_SITE"],
    ["sameSite true", "k", "v", { sameSite: true }, "ERR_COOKIE_INVALID_SAME_SITE"],
    ["priority urgent", "k", "v", { priority: "urgent" }, "ERR_COOKIE_INVALID_PRIORITY"],
    ["priority 42", "k", "v", { priority: 42 }, "ERR_COOKIE_INVALID_PRIORITY"],
    // Max-Age: an integer, at most 400 days (RFC 6265bis §5.6.2)
    ...[3.14, Number.NaN, Number.POSITIVE_INFINITY, "100", -1, 34_560_001].map(
      (maxAge): [string, unknown, unknown, unknown, CookieErrorCode] => [
        "maxAge",
        "k",
        "v",
        { maxAge },
        "ERR_COOKIE_INVALID_MAX_AGE",
      ],
    ),
    // Expires: a valid date at most 400 days ahead, agreeing with Max-Age
    ["invalid date", "k", "v", { expires: new Date(Number.NaN) }, "ERR_COOKIE_INVALID_EXPIRES"],
    ["401 days ahead", "k", "v", { expires: future(401) }, "ERR_COOKIE_INVALID_EXPIRES"],
    ["expires string", "k", "v", { expires: "2030-01-01" }, "ERR_COOKIE_INVALID_EXPIRES"],
    [
      "expires before 1601",
      "k",
      "v",
      { expires: Date.UTC(1600, 0, 1) },
      "ERR_COOKIE_INVALID_EXPIRES",
    ],
    [
      "disagreeing expiry",
      "k",
      "v",
      { maxAge: 60, expires: Date.now() + 3_600_000 },
      "ERR_COOKIE_INCONSISTENT_EXPIRY",
    ],
    [
      "Max-Age=0 with a future Expires",
      "k",
      "v",
      { maxAge: 0, expires: Date.now() + 60_000 },
      "ERR_COOKIE_INCONSISTENT_EXPIRY",
    ],
    // sizes: name plus value at most 4096 octets, an attribute at most 1024 (RFC 6265bis §5.6)
    ["4097 octets", "sid", "x".repeat(4094), {}, "ERR_COOKIE_TOO_LARGE"],
    ["encoded length counts", "sid", "é".repeat(800), {}, "ERR_COOKIE_TOO_LARGE"],
    ["long path", "k", "v", { path: "/" + "a".repeat(1024) }, "ERR_COOKIE_ATTRIBUTE_TOO_LONG"],
    [
      "long domain",
      "k",
      "v",
      { domain: "a.".repeat(600) + "com" },
      "ERR_COOKIE_ATTRIBUTE_TOO_LONG",
    ],
    // option types
    ["secure string", "k", "v", { secure: "yes" }, "ERR_COOKIE_INVALID_OPTION"],
    ["httpOnly number", "k", "v", { httpOnly: 1 }, "ERR_COOKIE_INVALID_OPTION"],
    [
      "partitioned string",
      "k",
      "v",
      { partitioned: "true", secure: true },
      "ERR_COOKIE_INVALID_OPTION",
    ],
    ["options null", "k", "v", null, "ERR_COOKIE_INVALID_OPTION"],
  ])("%s: %j=%j %j throws %s", (_label, name, value, options, code) => {
    expect(codeOf(() => loose(name, value, options))).toBe(code);
  });

  it("accepts Max-Age with an Expires that agrees", () => {
    const line = serializeSetCookie("k", "v", { maxAge: 60, expires: Date.now() + 60_000 });
    expect(line).toMatch(/; Max-Age=60$/);
    expect(serializeSetCookie("k", "", { maxAge: 0, expires: new Date(0) })).toBe(
      "k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
    );
  });

  it("accepts Expires exactly 400 days ahead", () => {
    expect(() => serializeSetCookie("k", "v", { expires: future(400) - 1000 })).not.toThrow();
  });

  it("names the option and value in the message", () => {
    expect(() => loose("k", "v", { maxAge: 1.5 })).toThrow(/option maxAge .*1\.5/);
    expect(() => loose("k", "v", { sameSite: "foo" })).toThrow(/option sameSite .*"foo"/);
  });

  it("keeps messages short for huge inputs", () => {
    try {
      loose("a b".repeat(10_000), "v");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });

  it("does not mutate or depend on the options object's prototype", () => {
    const options = Object.freeze({ secure: true, path: "/" });
    expect(serializeSetCookie("__Host-x", "v", options)).toBe("__Host-x=v; Path=/; Secure");
  });
});
