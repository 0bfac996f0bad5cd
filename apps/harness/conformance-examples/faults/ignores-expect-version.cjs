// Breaks the example store on purpose (loaded with --require or jest's
// --setupFiles): set() ignores expectVersion, so compare-and-set overwrites.
// The examples' tests run each framework with it to show the suite can fail.
const { MapStore } = require("../map-store.cjs");

const set = MapStore.prototype.set;
MapStore.prototype.set = function (key, input) {
  return set.call(this, key, input);
};
