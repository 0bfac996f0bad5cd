/** Marks the one stdout line of the Deno entry that carries its JSON report. */
export const RESULT_MARK = "@@tessera-deno-kv@@ ";

/** One check's outcome in the Deno entry's report. */
export type CheckReport = { name: string; ok: true } | { name: string; ok: false; error: string };

/** The Deno entry's report. */
export interface DenoReport {
  /** `Deno.version.deno`. */
  deno: string;
  /** How many checks the conformance suite has. */
  conformanceChecks: number;
  /** How many results `runConformance` returned. */
  conformanceResults: number;
  /** The conformance results, then the Deno KV checks (named `deno-kv: ...`). */
  results: CheckReport[];
}
