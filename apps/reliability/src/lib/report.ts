import { appendFileSync } from "node:fs";

/**
 * Figures for docs/reliability.md. When `REL_REPORT` names a file (set by
 * `pnpm reliability`), each call appends one JSON line to it; otherwise it
 * does nothing, so the CI run only asserts.
 */
export function record(section: string, row: Record<string, unknown>): void {
  const file = process.env["REL_REPORT"];
  if (file === undefined || file === "") return;
  appendFileSync(file, `${JSON.stringify({ section, ...row })}\n`);
}
