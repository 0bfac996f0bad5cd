// jest --config '{"testMatch":["**/jest.cjs"]}'
const { conformanceChecks, runCheck, skipReason } = require("@tessera/store/conformance");
const { MapStore } = require("./map-store.cjs");

// jest cannot skip a test once it runs, so decide before, on a probe store.
const probe = new MapStore();
for (const check of conformanceChecks) {
  const reason = skipReason(check, probe);
  if (reason === undefined) test(check.name, () => runCheck(check, () => new MapStore()), 10_000);
  else test.skip(`${check.name} (skipped: ${reason})`, () => undefined);
}
