// mocha mocha.cjs
const { conformanceChecks, runCheck } = require("@tessera/store/conformance");
const { MapStore } = require("./map-store.cjs");

describe("MapStore conformance", () => {
  for (const check of conformanceChecks) {
    it(check.name, async function () {
      this.timeout(10_000);
      const outcome = await runCheck(check, () => new MapStore());
      if (outcome.status === "skipped") {
        // mocha's skip takes no reason: put it in the title the reporter shows.
        this.test.title += ` (skipped: ${outcome.reason})`;
        this.skip();
      }
    });
  }
});
