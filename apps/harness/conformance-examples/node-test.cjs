// node --test node-test.cjs
const { test } = require("node:test");
const { conformanceChecks, runCheck } = require("@tessera/store/conformance");
const { MapStore } = require("./map-store.cjs");

for (const check of conformanceChecks) {
  test(check.name, async (t) => {
    const outcome = await runCheck(check, () => new MapStore());
    if (outcome.status === "skipped") t.skip(outcome.reason);
  });
}
