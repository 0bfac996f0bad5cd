import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  clockOption,
  integerOption,
  isStoreKey,
  MAX_TIMEOUT_MS,
  objectOption,
  optionError,
  RecentlySeen,
  storeEntry,
  stringOption,
  withTimeout,
} from "../src/driver/index.js";
import { StoreError, StoreUnavailableError } from "../src/errors.js";

/** The code and message a call throws, for table-driven checks. */
function thrown(attempt: () => unknown): { code: unknown; message: string } {
  try {
    attempt();
  } catch (error) {
    expect(StoreError.isInstance(error)).toBe(true);
    return { code: (error as StoreError).code, message: (error as Error).message };
  }
  throw new Error("expected a throw");
}

describe("optionError", () => {
  it("names the option, quotes a string value and says what was expected", () => {
    const error = optionError("prefix", "a b", "expected no spaces");
    expect(error.code).toBe("ERR_STORE_INVALID_OPTION");
    expect(error.message).toBe('option prefix is invalid: "a b" (expected no spaces)');
    expect(optionError("shards", 0, "expected more").message).toBe(
      "option shards is invalid: 0 (expected more)",
    );
  });
});

describe("integerOption", () => {
  it("returns the fallback for undefined and an integer in range as is", () => {
    expect(integerOption("shards", undefined, 16, 1, 32)).toBe(16);
    expect(integerOption("shards", 1, 16, 1, 32)).toBe(1);
    expect(integerOption("shards", 32, 16, 1, 32)).toBe(32);
  });

  it.each([
    ["zero", 0],
    ["above max", 33],
    ["a fraction", 1.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a numeric string", "8"],
    ["null", null],
    ["an object", {}],
  ])("refuses %s with ERR_STORE_INVALID_OPTION naming the option and the range", (_, value) => {
    const { code, message } = thrown(() => integerOption("shards", value, 16, 1, 32));
    expect(code).toBe("ERR_STORE_INVALID_OPTION");
    expect(message).toMatch(/^option shards is invalid: .* \(expected an integer from 1 to 32\)$/);
  });
});

describe("stringOption", () => {
  const pattern = /^[a-z]{1,4}$/;
  it("returns the fallback for undefined and a matching string as is", () => {
    expect(stringOption("name", undefined, "x", pattern, "expected a-z")).toBe("x");
    expect(stringOption("name", "abc", "x", pattern, "expected a-z")).toBe("abc");
  });

  it.each<[unknown, string]>([
    ["", "empty"],
    ["abcde", "too long"],
    ["a\nb", "a newline"],
    [5, "a number"],
  ])("refuses %j (%s)", (value) => {
    const { code, message } = thrown(() =>
      stringOption("name", value, "x", pattern, "expected a-z"),
    );
    expect(code).toBe("ERR_STORE_INVALID_OPTION");
    expect(message).toContain("option name is invalid:");
    expect(message).toContain("(expected a-z)");
  });
});

describe("objectOption", () => {
  it("returns an object that has every named method", () => {
    const client = { get: () => 1, set: () => 2 };
    expect(objectOption("client", client, ["get", "set"], "expected a client")).toBe(client);
    expect(objectOption("options", {}, [], "expected an object")).toEqual({});
  });

  const get = (): number => 1;
  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["a string", "client"],
    ["an object without set", { get }],
    ["an object whose set is not a function", { get, set: 1 }],
  ])("refuses %s", (_, value) => {
    const { code, message } = thrown(() =>
      objectOption("client", value, ["get", "set"], "expected a client"),
    );
    expect(code).toBe("ERR_STORE_INVALID_OPTION");
    expect(message).toMatch(/^option client is invalid: .* \(expected a client\)$/);
  });
});

describe("clockOption", () => {
  it("is Date.now by default and the given function otherwise", () => {
    expect(clockOption(undefined)).toBe(Date.now);
    const now = () => 5;
    expect(clockOption(now)).toBe(now);
  });

  it("refuses a value that is not a function, naming its type", () => {
    expect(thrown(() => clockOption(5)).message).toBe(
      'option now is invalid: "number" (expected a function returning epoch milliseconds)',
    );
  });
});

describe("storeEntry and isStoreKey", () => {
  it("leaves userId out when there is no owner", () => {
    expect(storeEntry("v", 10, 1)).toStrictEqual({ value: "v", expiresAt: 10, version: 1 });
    expect(storeEntry("v", 10, 2, "u")).toStrictEqual({
      value: "v",
      expiresAt: 10,
      userId: "u",
      version: 2,
    });
  });

  it("tells store keys from anything else without throwing", () => {
    expect(isStoreKey("abc_-09")).toBe(true);
    for (const bad of ["", "a b", "a\r\nb", "x".repeat(129), 5, null]) {
      expect(isStoreKey(bad)).toBe(false);
    }
  });
});

describe("RecentlySeen", () => {
  it("hands each remembered value out once and drops the oldest over its limit", () => {
    const seen = new RecentlySeen<number>(2);
    seen.remember("a", 1);
    seen.remember("b", 2);
    seen.remember("a", 3); // a is now the newest
    seen.remember("c", 4); // b, the oldest, goes
    expect(seen.size).toBe(2);
    expect(seen.take("b")).toBeUndefined();
    expect(seen.take("a")).toBe(3);
    expect(seen.take("a")).toBeUndefined();
    seen.forget("c");
    expect(seen.take("c")).toBeUndefined();
    seen.remember("d", 5);
    seen.clear();
    expect(seen.size).toBe(0);
  });
});

describe("withTimeout", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const timedOut = () => new StoreUnavailableError("timed out");

  it("settles with the call's result and clears its timer", async () => {
    await expect(withTimeout(() => Promise.resolve(7), 100, timedOut)).resolves.toBe(7);
    await expect(withTimeout(() => 8, 100, timedOut)).resolves.toBe(8);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("passes the call's own failure on, synchronous or not, and clears its timer", async () => {
    const boom = new Error("boom");
    await expect(withTimeout(() => Promise.reject(boom), 100, timedOut)).rejects.toBe(boom);
    await expect(
      withTimeout(
        () => {
          throw boom;
        },
        100,
        timedOut,
      ),
    ).rejects.toBe(boom);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with onTimeout() at the bound, not before, and swallows a late failure", async () => {
    let fail: (error: unknown) => void = () => {};
    const never = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const outcome = withTimeout(() => never, 100, timedOut).then(
      () => "resolved",
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(99);
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    // A rejection after the timeout is handled: no unhandled rejection fails the run.
    fail(new Error("late"));
    await Promise.resolve();
  });

  it("accepts the largest bound a timer honours", async () => {
    expect(MAX_TIMEOUT_MS).toBe(2 ** 31 - 1);
    await expect(withTimeout(() => 1, MAX_TIMEOUT_MS, timedOut)).resolves.toBe(1);
  });
});
