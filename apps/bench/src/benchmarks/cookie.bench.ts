import { parseCookie } from "@tessera/cookie";
import { parseCookie as peerParse } from "cookie";
import { type Benchmark, compare } from "../harness.js";

const one = "__Host-sid=Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g";

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
      ],
      options,
    ),
};

export default benchmark;
