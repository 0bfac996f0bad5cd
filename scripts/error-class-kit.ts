/**
 * The checks every Tessera error class must pass, as one table each package's
 * `test/errors.test.ts` runs against its own class. It imports no
 * `@tessera/*` package (the class comes in as a parameter), so any package's
 * tests can import it relatively, like http-test-kit.ts.
 */
import { describe, expect, it } from "vitest";

/** A Tessera error class as these checks use it: built from a code, recognised across copies. */
export interface ErrorClassUnderTest<Code extends string> {
  new (code: Code, message: string, options?: { cause?: unknown }): Error & { readonly code: Code };
  readonly name: string;
  readonly codePrefix: string;
  isInstance(value: unknown): boolean;
}

/** What {@link describeErrorClass} checks a class against. */
export interface ErrorClassCase<Code extends string> {
  /** The class under test. */
  readonly ErrorClass: ErrorClassUnderTest<Code>;
  /** The prefix every code of the class starts with. */
  readonly codePrefix: string;
  /** One code of the class, to build errors with (and as another copy would throw it). */
  readonly code: Code;
  /** Another package's Tessera error, which the class must not claim (default: one marked `ERR_ELSEWHERE_BROKEN`). */
  readonly foreign?: unknown;
  /** False for a base class whose `name` follows the subclass's (TesseraError itself). */
  readonly namesItself?: boolean;
  /** A class every error of this one is an instance of, and recognised by (defaults to `Error`). */
  readonly base?: (abstract new (
    ...args: never[]
  ) => unknown) & {
    isInstance?(value: unknown): boolean;
  };
}

/** An error as another copy of a Tessera package would throw it: the shared mark and a code. */
export function markedError(code: string): Error {
  return Object.defineProperty(
    Object.assign(new Error("x"), { code }),
    Symbol.for("@tessera/error"),
    { value: true },
  );
}

/**
 * Registers the shared checks of one error class: its code, name, cause and
 * code prefix, and what its `isInstance` accepts.
 */
export function describeErrorClass<Code extends string>(spec: ErrorClassCase<Code>): void {
  const { ErrorClass, code } = spec;
  const foreign = "foreign" in spec ? spec.foreign : markedError("ERR_ELSEWHERE_BROKEN");
  describe(ErrorClass.name, () => {
    it("carries a stable code, its class's name, the cause and the package's code prefix", () => {
      const cause = new Error("inner");
      const error = new ErrorClass(code, "bad", { cause });
      expect(error).toBeInstanceOf(spec.base ?? Error);
      if (spec.base?.isInstance) expect(spec.base.isInstance(error)).toBe(true);
      expect(error.code).toBe(code);
      expect(error.name).toBe(ErrorClass.name);
      expect(error.cause).toBe(cause);
      expect("cause" in new ErrorClass(code, "bad")).toBe(false);
      expect(ErrorClass.codePrefix).toBe(spec.codePrefix);
    });

    // A minifier that renames classes changes the class's own `name`; the
    // error's name must not follow it, or logs show "a: ..." for the class.
    if (spec.namesItself !== false) {
      it("keeps its name where a minifier renames the class", () => {
        const name = ErrorClass.name;
        Object.defineProperty(ErrorClass, "name", { value: "a", configurable: true });
        try {
          expect(new ErrorClass(code, "x").name).toBe(name);
        } finally {
          Object.defineProperty(ErrorClass, "name", { value: name, configurable: true });
        }
      });
    }

    // instanceof fails across two copies of the package (ESM and CJS side by side).
    it.each<[string, boolean, unknown]>([
      ["its own error", true, new ErrorClass(code, "x")],
      ["its error from another copy", true, markedError(code)],
      ["another package's Tessera error", false, foreign],
      ["an unmarked look-alike", false, Object.assign(new Error("x"), { code })],
      ["null", false, null],
      ["a bare code", false, code],
    ])("isInstance of %s is %s", (_what, expected, value) => {
      expect(ErrorClass.isInstance(value)).toBe(expected);
    });
  });
}
