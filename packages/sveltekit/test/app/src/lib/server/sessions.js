import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";

const memory = new MemoryStore();

// The build test switches `globalThis.tesseraStoreDown` to stand for an
// unreachable backend: every store call then rejects as a driver's would.
const store = new Proxy(memory, {
  get(target, name) {
    const value = Reflect.get(target, name, target);
    if (typeof value !== "function") return value;
    return (...args) =>
      globalThis.tesseraStoreDown === true
        ? Promise.reject(new StoreUnavailableError("connect ECONNREFUSED"))
        : value.apply(target, args);
  },
});

export const sessions = createSessions({
  keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
  store,
});
