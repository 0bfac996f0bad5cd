import { describe, expect, it } from "vitest";
import { describeErrorClass, markedError } from "../../../scripts/error-class-kit.js";
import { describeWebOnly } from "../../../scripts/source-scan.js";
import {
  describe as describeValue,
  invalidMessage,
  quietListener,
  TesseraError,
} from "../src/index.js";

describeErrorClass({
  ErrorClass: TesseraError,
  codePrefix: "ERR_",
  code: "ERR_WIDGET_BROKEN",
  // Every Tessera code starts with ERR_, so the base class claims them all;
  // a marked error without that prefix is no Tessera error.
  foreign: markedError("E_OTHER"),
  // The base names an error after the class that built it.
  namesItself: false,
});

describe("describe", () => {
  // Key bytes and a function's source never reach an error message.
  it.each<[string, unknown, string]>([
    ["a string, quoted", "a b", '"a b"'],
    ["a number", 1.5, "1.5"],
    ["undefined", undefined, "undefined"],
    ["a Date, by its time value", new Date(0), "Date(0)"],
    ["bytes, by their length only", new Uint8Array([1, 2, 3]), "Uint8Array(3)"],
    ["a function, without its source", () => "secret", "function"],
    ["a bigint", 10n, "10"],
    ["a symbol", Symbol("s"), "Symbol(s)"],
    ["an object, as JSON", { a: 1 }, '{"a":1}'],
    [
      "a cycle, by its tag",
      (() => {
        const o: { self?: unknown } = {};
        o.self = o;
        return o;
      })(),
      "[object Object]",
    ],
  ])("shows %s", (_what, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it("cuts a long value to 80 characters", () => {
    const text = describeValue("x".repeat(500));
    expect(text).toHaveLength(80);
    expect(text.endsWith("...")).toBe(true);
  });
});

describe("invalidMessage", () => {
  it("names what is invalid, the value and what was expected", () => {
    expect(invalidMessage("option ttl", -1, "a positive integer")).toBe(
      "option ttl is invalid: -1 (expected a positive integer)",
    );
  });
});

describe("quietListener", () => {
  it("calls the listener with the arguments it is given", () => {
    const seen: unknown[][] = [];
    quietListener((...args: unknown[]) => seen.push(args))(1, "a");
    expect(seen).toEqual([[1, "a"]]);
  });

  it("swallows what the listener throws, so a failing audit sink fails no request", () => {
    const emit = quietListener(() => {
      throw new Error("sink down");
    });
    expect(() => emit()).not.toThrow();
  });

  it("is a no-op without a listener", () => {
    expect(quietListener(undefined)()).toBeUndefined();
  });
});

// Cookie, signing and store bundle this code into their Web-runtime builds.
describeWebOnly("runtime neutrality", new URL("../src", import.meta.url), { minFiles: 1 });
