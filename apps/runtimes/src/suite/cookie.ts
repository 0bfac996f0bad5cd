import {
  CookieError,
  chunkSetCookie,
  clearCookie,
  joinChunks,
  parseCookie,
  parseCookieAll,
  parseSetCookie,
  secureCookieDefaults,
  serializeSetCookie,
} from "@tessera/cookie";
import { deepEqual, equal, ok, rejectsWithCode, type Suite } from "../harness.js";

export function cookieTests(suite: Suite): void {
  suite.test("cookie: parseCookie decodes, first duplicate wins, null prototype", () => {
    const cookies = parseCookie("theme=dark; lang=en%2DGB; theme=light; __proto__=x");
    equal(cookies.theme, "dark");
    equal(cookies.lang, "en-GB");
    equal(Object.getOwnPropertyDescriptor(cookies, "__proto__")?.value, "x", "__proto__ is own");
    // Inherits nothing: no Object.prototype members reachable through the result.
    equal("toString" in cookies, false, "toString inherited");
    equal("hasOwnProperty" in cookies, false, "hasOwnProperty inherited");
  });

  suite.test("cookie: parseCookieAll keeps every value of a name", () => {
    deepEqual(parseCookieAll("sid=a; x=1; sid=b", { decode: false }).sid, ["a", "b"]);
  });

  suite.test("cookie: serializeSetCookie writes the secure defaults exactly", () => {
    equal(
      serializeSetCookie("__Host-sid", "abc", secureCookieDefaults),
      "__Host-sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
  });

  suite.test("cookie: serializeSetCookie percent-encodes Unicode and round-trips", () => {
    const value = "caf\u00e9 \u{1F36A}; x=1";
    const line = serializeSetCookie("k", value, { path: "/" });
    equal(parseCookie(line.split(";")[0])["k"], value);
  });

  suite.test("cookie: injection in a name throws ERR_COOKIE_INVALID_NAME", async () => {
    await rejectsWithCode(
      () => serializeSetCookie("userName=<script>; Max-Age=2592000; a", "test"),
      "ERR_COOKIE_INVALID_NAME",
    );
  });

  suite.test("cookie: __Host- without secure throws a CookieError", () => {
    let caught: unknown;
    try {
      serializeSetCookie("__Host-sid", "v", { secure: false } as never);
    } catch (error) {
      caught = error;
    }
    ok(CookieError.isInstance(caught), "CookieError.isInstance");
    equal((caught as CookieError).code, "ERR_COOKIE_PREFIX_VIOLATION");
  });

  suite.test("cookie: Expires is an IMF-fixdate", () => {
    const line = serializeSetCookie("k", "v", {
      expires: Date.UTC(2000, 11, 24, 10, 30, 59, 900),
    });
    ok(line.includes("Expires=Sun, 24 Dec 2000 10:30:59 GMT"), line);
  });

  suite.test("cookie: parseSetCookie reads attributes like a browser", () => {
    const parsed = parseSetCookie("__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict");
    ok(parsed !== null, "parsed");
    equal(parsed.name, "__Host-sid");
    equal(parsed.value, "abc");
    equal(parsed.attributes.sameSite, "strict");
    equal(parsed.attributes.secure, true);
    equal(parseSetCookie("a\u0001=b"), null, "control character");
  });

  suite.test("cookie: clearCookie keeps the scope and expires the cookie", () => {
    equal(
      clearCookie("theme", { path: "/app" }),
      "theme=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
    );
  });

  suite.test("cookie: chunkSetCookie / joinChunks round-trip 10 kB", () => {
    const value = "x".repeat(6000) + "\u00e9".repeat(1000) + "y".repeat(1000);
    const lines = chunkSetCookie("__Host-big", value, secureCookieDefaults);
    ok(lines.length >= 3, `expected chunks, got ${lines.length}`);
    for (const line of lines) ok(new TextEncoder().encode(line).length <= 4096, "line too large");
    const header = lines.map((line) => line.split(";")[0]).join("; ");
    const read = (h: string) => parseCookie(h, { maxBytes: 16384 });
    equal(joinChunks(read(header), "__Host-big"), value);
    equal(
      joinChunks(
        read(
          lines
            .slice(1)
            .map((l) => l.split(";")[0])
            .join("; "),
        ),
        "__Host-big",
      ),
      undefined,
      "incomplete set",
    );
  });
}
