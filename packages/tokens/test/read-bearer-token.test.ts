import { readBearerToken as shared } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { readBearerToken } from "../src/index.js";

describe("readBearerToken", () => {
  // Regression: tokens and session each had their own Bearer grammar, which disagreed.
  it("is the one grammar @tessera/signing exports, which @tessera/session reads with too", () => {
    expect(readBearerToken).toBe(shared);
    expect(readBearerToken("Bearer abc")).toEqual({ ok: true, token: "abc" });
  });
});
