/** Prefix of the line that carries the child's JSON report. */
export const MARK = "@@tessera-builtin-sqlite@@ ";

/** What the child process reports: one suite per database, each check's outcome. */
export interface Report {
  runtime: string;
  suites: Array<{ name: string; results: Array<{ name: string; ok: boolean; error?: string }> }>;
}
