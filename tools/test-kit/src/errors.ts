/**
 * What `fn` threw, or `undefined` when it returned: for tests that check
 * more than `toThrow` can (the error's class and its fields at once).
 *
 * @example
 * ```ts
 * const caught = thrownBy(() => createNextSessions(bearer));
 * expect(NextSessionError.isInstance(caught)).toBe(true);
 * ```
 */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
