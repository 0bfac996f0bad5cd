import { describe, expect, it } from "vitest";
import { describeErrorClass, markedError } from "../../../scripts/error-class-kit.js";
import {
  StoreClosedError,
  StoreError,
  StoreUnavailableError,
  TesseraError,
} from "../src/errors.js";

describeErrorClass({
  ErrorClass: StoreError,
  codePrefix: "ERR_STORE_",
  code: "ERR_STORE_INVALID_KEY",
  base: TesseraError,
});

describe("store errors", () => {
  it("keeps code, name and cause", () => {
    const cause = new Error("ECONNREFUSED");
    const error = new StoreUnavailableError("redis down", { cause });
    expect(error.code).toBe("ERR_STORE_UNAVAILABLE");
    expect(error.name).toBe("StoreUnavailableError");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(StoreError);
  });

  it.each([
    [new StoreUnavailableError(), true, true, false],
    [new StoreClosedError(), true, false, true],
    [new StoreError("ERR_STORE_INVALID_KEY", "bad"), true, false, false],
    [new Error("plain"), false, false, false],
    [{ code: "ERR_STORE_CLOSED" }, false, false, false],
    [null, false, false, false],
  ])("isInstance(%s) is brand-based", (value, base, unavailable, closed) => {
    expect(StoreError.isInstance(value)).toBe(base);
    expect(StoreUnavailableError.isInstance(value)).toBe(unavailable);
    expect(StoreClosedError.isInstance(value)).toBe(closed);
  });

  it("recognises an error from another copy of the package (Symbol.for brand)", () => {
    const foreign = markedError("ERR_STORE_UNAVAILABLE");
    expect(StoreUnavailableError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof StoreError).toBe(false);
  });

  it("gives every package's error the same shape through TesseraError", () => {
    class WidgetError extends TesseraError<"ERR_WIDGET_BROKEN"> {
      static override readonly codePrefix: string = "ERR_WIDGET_";
    }
    const widget = new WidgetError("ERR_WIDGET_BROKEN", "broken");
    expect(widget.name).toBe("WidgetError");
    expect(WidgetError.isInstance(widget)).toBe(true);
    expect(TesseraError.isInstance(widget)).toBe(true);
    expect(StoreError.isInstance(widget)).toBe(false);
    expect(WidgetError.isInstance(new StoreClosedError())).toBe(false);
  });

  it("omits cause when none is given", () => {
    expect("cause" in new StoreClosedError()).toBe(false);
  });
});
