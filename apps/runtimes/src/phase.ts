import { crossTests, produceOutputs } from "./cross.js";
import { describeError, Suite } from "./harness.js";
import { cookieTests } from "./suite/cookie.js";
import { sessionTests } from "./suite/session.js";
import { katTests, signingTests } from "./suite/signing.js";
import { storeTests } from "./suite/store.js";
import { tokensTests } from "./suite/tokens.js";
import type { PhaseInput, PhaseResult } from "./types.js";

/**
 * One phase of the matrix on the current runtime. "run": the whole suite
 * plus the known-answer vectors, and the artifacts for the other runtimes.
 * "verify": every other runtime's artifacts checked here.
 */
export async function runPhase(
  input: PhaseInput,
  runtime: string,
  version: string,
): Promise<PhaseResult> {
  const suite = new Suite();
  const v = input.vectors;
  if (input.phase === "run") {
    katTests(suite, v);
    cookieTests(suite);
    signingTests(suite, v);
    storeTests(suite);
    sessionTests(suite, v);
    tokensTests(suite, v);
    const results = await suite.run();
    try {
      const outputs = await produceOutputs(v, runtime);
      results.push({ name: "cross: artifacts produced", ok: true });
      return { runtime, version, phase: "run", results, outputs };
    } catch (error) {
      results.push({ name: "cross: artifacts produced", ok: false, error: describeError(error) });
      return { runtime, version, phase: "run", results };
    }
  }
  await crossTests(suite, v, runtime, input.peers ?? []);
  return { runtime, version, phase: "verify", results: await suite.run() };
}
