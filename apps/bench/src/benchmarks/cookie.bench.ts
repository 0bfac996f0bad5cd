import { parseCookie, serializeSetCookie } from "@tessera/cookie";
import { parseCookie as peerParse, stringifySetCookie as peerSerialize } from "cookie";
import { type Benchmark, compare } from "../harness.js";

const one = "sid=Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g";

// A realistic request: analytics, consent (percent-encoded JSON), CSRF, a
// session id, a refresh JWT and a few preferences; 12 cookies, about 900 B.
const twelve = [
  "_ga=GA1.2.1536592718.1700000000",
  "_gid=GA1.2.2068937155.1700000000",
  "_fbp=fb.1.1700000000000.1234567890",
  "__Host-sid=Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g",
  "csrftoken=q8Xo1Lr7Vb2Nc4Md6Kf9Hj3Gs5Pa0We1Rt2Yu3Io4Pz",
  "theme=dark",
  "lang=en-GB",
  "consent=%7B%22necessary%22%3Atrue%2C%22analytics%22%3Atrue%2C%22ads%22%3Afalse%7D",
  "ab_checkout=variant-b-2026q4",
  "recently_viewed=sku-10293.sku-55120.sku-77810.sku-90211.sku-11200.sku-31337.sku-42424",
  `__Secure-refresh=eyJhbGciOiJIUzI1NiIsInR5cCI6InJlZnJlc2granN0In0.${"eyJzdWIiOiJ1c2VyLTEyMzQ1IiwiZmFtaWx5IjoiZjg3YTJiIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDI1OTIwMDB9".repeat(3)}.${"dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk".repeat(2)}`,
  "tz=Europe%2FLondon",
].join("; ");

// No "=" until the very end: linear for both; ours also stops reading at 8 KiB.
const pathological = `${"a;".repeat(50_000)}=`;

const sid = "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g";
const maxAge = 1_209_600;

/**
 * Cookie headers any client can send, 4,000 of them drawn from ten shapes
 * with a fixed seed: many fresh names, numeric and prototype names,
 * characters beyond Latin-1, malformed escapes, quotes, long names and values,
 * blank and nameless pairs, the pathological shape, and headers past 8 KiB.
 * Built by concatenation, as strings of several kinds (flat, concatenated,
 * one- and two-byte): what V8 sees when a server parses what clients send.
 */
function hostileHeaders(count: number): string[] {
  let seed = 0x2545f491;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const word = (length: number): string => {
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(0x61 + random(26));
    return text;
  };
  const shapes: (() => string)[] = [
    () => Array.from({ length: 300 }, (_, i) => `${word(6)}${i}=${word(8)}`).join("; "),
    () => Array.from({ length: 20 }, (_, i) => `${i}=${word(4)}`).join("; "),
    () => "__proto__=x; constructor=y; toString=z; hasOwnProperty=1; valueOf=2",
    () => `n\u00e9=\u20ac${word(5)}; s=\ud83d\ude04; x=\ud800`,
    () => `a=%E0%A4%A; b=%zz; c=%${word(3)}; d=100%`,
    () => `q="${word(10)}"; r=""; s="`,
    () => `${word(40)}=${word(4000)}; ${word(30)}=v`,
    () => `\t a \t=\t b \t;  ;;; =x; =; noeq; ${word(3)}`,
    () => `${"a;".repeat(5000)}=`,
    () => `${word(3)}=${word(3)}; `.repeat(800),
  ];
  return Array.from({ length: count }, () => shapes[random(shapes.length)]!());
}

const benchmark: Benchmark = {
  id: "cookie",
  title: "@tessera/cookie against cookie",
  run: async (options) => {
    const rows = await compare(
      [
        {
          case: `parse a 1-cookie header (${one.length} B)`,
          ours: () => parseCookie(one),
          peer: () => peerParse(one),
          peerName: "cookie@2.0.2",
          target: 1,
        },
        {
          case: `parse a 12-cookie header (${twelve.length} B)`,
          ours: () => parseCookie(twelve),
          peer: () => peerParse(twelve),
          peerName: "cookie@2.0.2",
          target: 1,
        },
        {
          case: `parse a pathological header ("a;" x 50,000 + "=", ${Math.round(pathological.length / 1024)} KiB)`,
          ours: () => parseCookie(pathological),
          peer: () => peerParse(pathological),
          peerName: "cookie@2.0.2",
        },
        {
          // Both sides build the same Expires from the clock on every call:
          // ours checks that Expires and Max-Age agree.
          case: "serialize a session cookie with every attribute",
          ours: () =>
            serializeSetCookie("__Secure-sid", sid, {
              domain: "example.com",
              path: "/",
              maxAge,
              expires: new Date(Date.now() + maxAge * 1000),
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              partitioned: true,
              priority: "high",
            }),
          peer: () =>
            peerSerialize({
              name: "__Secure-sid",
              value: sid,
              domain: "example.com",
              path: "/",
              maxAge,
              expires: new Date(Date.now() + maxAge * 1000),
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              partitioned: true,
              priority: "high",
            }),
          peerName: "cookie@2.0.2",
          target: 1,
        },
        // What a session layer sends on every response: the secure defaults
        // (Path=/, HttpOnly, Secure, SameSite=Lax) and a Max-Age. One call
        // site per cookie, as in an application.
        {
          case: "serialize a __Host- session cookie (secure defaults, Max-Age)",
          ours: () =>
            serializeSetCookie("__Host-sid", sid, {
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peer: () =>
            peerSerialize({
              name: "__Host-sid",
              value: sid,
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peerName: "cookie@2.0.2",
          target: 1,
        },
        {
          case: "serialize a __Secure- session cookie (secure defaults, Domain, Max-Age)",
          ours: () =>
            serializeSetCookie("__Secure-sid", sid, {
              domain: "example.com",
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peer: () =>
            peerSerialize({
              name: "__Secure-sid",
              value: sid,
              domain: "example.com",
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peerName: "cookie@2.0.2",
          target: 1,
        },
        {
          case: "serialize a session cookie without prefix (secure defaults, Max-Age)",
          ours: () =>
            serializeSetCookie("sid", sid, {
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peer: () =>
            peerSerialize({
              name: "sid",
              value: sid,
              path: "/",
              httpOnly: true,
              secure: true,
              sameSite: "lax",
              maxAge,
            }),
          peerName: "cookie@2.0.2",
          target: 1,
        },
      ],
      options,
    );
    // Last, as it changes what V8 knows about both parsers for the rest of
    // the process: once a parser has seen odd headers, V8 re-optimises it for
    // them, and every later request pays if the hot path depends on them.
    const hostile = hostileHeaders(4000);
    for (const header of hostile) {
      parseCookie(header);
      peerParse(header);
    }
    rows.push(
      ...(await compare(
        [
          {
            case: `parse a 1-cookie header (${one.length} B) after both parsers read ${hostile.length.toLocaleString("en-US")} hostile headers`,
            ours: () => parseCookie(one),
            peer: () => peerParse(one),
            peerName: "cookie@2.0.2",
            target: 0.9,
          },
        ],
        options,
      )),
    );
    return rows;
  },
};

export default benchmark;
