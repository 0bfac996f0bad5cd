// The one source of the error shape every Tessera package shares, and of the
// error-handling helpers the Web-runtime packages repeated. This package is
// private: @tessera/cookie, @tessera/signing and @tessera/store bundle it
// into their own build (cookie and store promise zero dependencies, so they
// cannot depend on a published error package), @tessera/session and
// @tessera/tokens bundle the helpers they use, and @tessera/store re-exports
// `TesseraError` for every package above it. The bundled copies recognise
// each other's errors through the mark below, as two copies of any one
// package (ESM and CJS side by side) already must.

// Symbol.for, not Symbol(): two copies of a package (ESM and CJS, or two
// versions in one tree) must still recognise each other's errors, so an
// error is recognised by this mark and its code, never by `instanceof`.
const MARK = Symbol.for("@tessera/error");

/**
 * The shape every Tessera error shares: a stable `code` to match on (never
 * the message), the underlying `cause`, and a static `isInstance` that works
 * across duplicate copies of a package. Each package's error class extends
 * it and sets `codePrefix`; `isInstance` on a class is true for errors whose
 * code starts with that prefix. The error's `name` is its class's name; a
 * subclass that declares `override readonly name = "WidgetError"` keeps it
 * even where a minifier renames classes.
 *
 * @example
 * ```ts
 * class WidgetError extends TesseraError<"ERR_WIDGET_BROKEN"> {
 *   static override readonly codePrefix = "ERR_WIDGET_";
 * }
 * WidgetError.isInstance(new WidgetError("ERR_WIDGET_BROKEN", "broken")); // true
 * ```
 */
export class TesseraError<Code extends string = string> extends Error {
  /** What `isInstance` requires a code to start with; each subclass narrows it. */
  static readonly codePrefix: string = "ERR_";
  /** Stable machine-readable code. */
  readonly code: Code;

  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, MARK, { value: true });
  }

  /**
   * True for an error of this class, including one created by another copy
   * of its package: a Tessera error whose code starts with the class's `codePrefix`.
   *
   * @example
   * ```ts
   * if (StoreError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance<T>(
    this: { readonly prototype: T; readonly codePrefix: string },
    value: unknown,
  ): value is T {
    if (typeof value !== "object" || value === null) return false;
    const code = (value as { code?: unknown }).code;
    return (
      (value as { [MARK]?: unknown })[MARK] === true &&
      typeof code === "string" &&
      // biome-ignore lint/complexity/noThisInStatic: the calling subclass's own prefix is the point
      code.startsWith(this.codePrefix)
    );
  }
}

/**
 * Shortens a bad value for an error message so a huge input cannot flood
 * logs, and never prints key bytes or a function's source.
 *
 * @example
 * ```ts
 * describe(new Uint8Array(8)); // "Uint8Array(8)"
 * ```
 */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value instanceof Date) text = `Date(${value.getTime()})`;
  else if (value instanceof Uint8Array) text = `Uint8Array(${value.length})`;
  else if (typeof value === "function") text = "function";
  else if (typeof value === "bigint" || typeof value === "symbol") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The message of an invalid-option or invalid-argument error: what is wrong,
 * the bad value (shortened by {@link describe}) and what was expected.
 *
 * @example
 * ```ts
 * invalidMessage("option ttl", -1, "a positive integer");
 * // 'option ttl is invalid: -1 (expected a positive integer)'
 * ```
 */
export function invalidMessage(what: string, value: unknown, expected: string): string {
  return `${what} is invalid: ${describe(value)} (expected ${expected})`;
}

/**
 * `listener` (an application's event sink or hook) wrapped so that a throw
 * from it is swallowed: a failing audit sink must not turn into a failed
 * request. A no-op when there is no listener.
 *
 * @example
 * ```ts
 * const emit = quietListener(options.onEvent);
 * emit({ type: "created" }); // never throws
 * ```
 */
export function quietListener<Args extends unknown[]>(
  listener: ((...args: Args) => unknown) | undefined,
): (...args: Args) => void {
  if (listener === undefined) return () => {};
  return (...args) => {
    try {
      listener(...args);
    } catch {
      // The application's listener failed; the request it reports on goes on.
    }
  };
}
