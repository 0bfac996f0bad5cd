import { accessSync, constants } from "node:fs";

/** The Chromium the browser test drives: Debian's package, not a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Fails the run at once, with the fix, when the browser is missing (never a skipped test). */
export default function setup(): void {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The Next.js demo's browser test needs Chromium at ${CHROMIUM}: install chromium: apt-get install -y chromium`,
    );
  }
}
