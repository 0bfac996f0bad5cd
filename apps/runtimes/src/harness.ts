/**
 * A test registry small enough to run anywhere the packages run: no `node:`
 * imports, no test framework, only `Promise`, `Error` and `JSON`. Every
 * runtime of the matrix (Node, Bun, Deno, workerd) executes the same file.
 */

export interface TestResult {
  name: string;
  ok: boolean;
  error?: string;
}

export type TestFn = () => void | Promise<void>;

export class Suite {
  private readonly tests: Array<{ name: string; fn: TestFn }> = [];

  test(name: string, fn: TestFn): void {
    this.tests.push({ name, fn });
  }

  get size(): number {
    return this.tests.length;
  }

  async run(): Promise<TestResult[]> {
    const results: TestResult[] = [];
    for (const { name, fn } of this.tests) {
      try {
        await fn();
        results.push({ name, ok: true });
      } catch (error) {
        results.push({ name, ok: false, error: describeError(error) });
      }
    }
    return results;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === "string" ? ` [${code}]` : ""}: ${error.message}`;
  }
  return String(error);
}

export class AssertionError extends Error {
  override name = "AssertionError";
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = "values differ"): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Structural equality through canonical JSON (key order ignored). */
export function deepEqual(actual: unknown, expected: unknown, message = "values differ"): void {
  const a = canonical(actual);
  const b = canonical(expected);
  if (a !== b) throw new AssertionError(`${message}: expected ${show(b)}, got ${show(a)}`);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Asserts that `fn` throws (or rejects) an error whose `code` is `code`. */
export async function rejectsWithCode(
  fn: () => unknown,
  code: string,
  message = "expected an error",
): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new AssertionError(`${message}: nothing was thrown`);
  const actual = (caught as { code?: unknown }).code;
  if (actual !== code) {
    throw new AssertionError(`${message}: expected code ${code}, got ${describeError(caught)}`);
  }
}
