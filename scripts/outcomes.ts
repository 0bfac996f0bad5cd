/**
 * How a call a test makes ended: what it rejected with, or how and when it
 * settled. No imports at all, so any package's tests (and the entries they
 * bundle for other runtimes) can import it relatively, like source-scan.ts.
 */

/** What `promise` rejects with; throws when it resolves, so a call that should fail cannot pass. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

/** What `attempt` throws; throws when it returns, so a call that should throw cannot pass. */
export function thrown(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, got none");
}

/** How a promise settled, and how many milliseconds after {@link settle} was called. */
export type Settled =
  | { ok: true; value: unknown; ms: number }
  | { ok: false; error: unknown; ms: number };

/** Waits for `promise` either way, for tests that bound how long a failure takes to surface. */
export async function settle(promise: Promise<unknown>): Promise<Settled> {
  const started = Date.now();
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, ms: Date.now() - started };
}
