/** Marks the one stdout line of the driver that carries its JSON report. */
export const RESULT_MARK = "@@tessera-store-cloudflare@@ ";

/** One check's outcome in the driver's report. */
export type CheckReport = { name: string; ok: true } | { name: string; ok: false; error: string };

/** Durable Object requests one HTTP request made, by scenario step. */
export type RoundTrips = Record<string, number>;

/** The driver's report. */
export interface WorkerdReport {
  /** The workerd version miniflare runs. */
  workerd: string;
  /** How many checks the conformance suite has (as bundled into the Worker). */
  conformanceChecks: number;
  /** The conformance results against the Durable Object store. */
  durableObject: CheckReport[];
  /** The conformance results against SqlStore on D1. */
  d1: CheckReport[];
  /** The workerd-only checks. */
  checks: CheckReport[];
  /** The HTTP scenarios of the Hono app. */
  scenarios: CheckReport[];
  /** Durable Object requests per HTTP request, counted at the stub by the Worker. */
  roundTrips: RoundTrips;
  /** Store requests the objects themselves counted during the scenarios. */
  objectRequests: number;
  /** The sum of `x-do-requests` over the scenarios' HTTP requests. */
  stubRequests: number;
}
