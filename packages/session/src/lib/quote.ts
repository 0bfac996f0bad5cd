/** A value as an error message may show it: strings JSON-quoted, anything cut to `max` characters. */
export function quote(value: unknown, max: number): string {
  let shown: string;
  try {
    shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    // An object whose toString throws, or a symbol-keyed oddity: its type is enough.
    shown = typeof value;
  }
  return shown.slice(0, max);
}
