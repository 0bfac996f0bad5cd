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

// T-C28 shape: no "=" until the very end. Linear for both; ours also stops at 8 KiB (CK-11).
const pathological = `${"a;".repeat(50_000)}=`;

const sid = "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g";
const maxAge = 1_209_600;

const benchmark: Benchmark = {
  id: "cookie",
  title: "@tessera/cookie against cookie",
  run: (options) =>
    compare(
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
      ],
      options,
    ),
};

export default benchmark;
