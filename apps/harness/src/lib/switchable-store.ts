import { type SessionStore, StoreUnavailableError } from "@tessera/store";

/** A store wrapped for one matrix cell: switchable outage plus a record of what it wrote. */
export interface SwitchableStore {
  /** The wrapper to give `createSessions`; has exactly the inner store's methods. */
  store: SessionStore;
  /** While true every call rejects with `StoreUnavailableError`, as a driver does for a dead server. */
  failing: boolean;
  /** Keys and user ids the wrapper saw written, for cleanup. */
  readonly writtenKeys: Set<string>;
  readonly userIds: Set<string>;
  /** Deletes every recorded key and user's sessions through the inner store. */
  cleanup(): Promise<void>;
}

const METHODS = ["get", "set", "touch", "delete", "listByUser", "deleteByUser"] as const;

/**
 * Wraps a store the way tower-sessions composes stores: the wrapper is itself a
 * store, with the inner store's optional capabilities (the per-user index) and
 * no others, so `supportsUserIndex` answers the same for both. Used for the
 * outage scenario on every store, real servers included: the drivers' own
 * fault tests already stop real servers, and switching a wrapper keeps the
 * shared services up for everyone else.
 */
export function switchable(inner: SessionStore): SwitchableStore {
  const control: SwitchableStore = {
    store: {} as SessionStore,
    failing: false,
    writtenKeys: new Set(),
    userIds: new Set(),
    async cleanup() {
      const wasFailing = control.failing;
      control.failing = false;
      try {
        for (const userId of control.userIds) await inner.deleteByUser?.(userId);
        for (const key of control.writtenKeys) await inner.delete(key);
      } finally {
        control.failing = wasFailing;
      }
    },
  };
  const wrapper: Record<string, unknown> = {};
  for (const name of METHODS) {
    const method = inner[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof method !== "function") continue;
    wrapper[name] = async (...args: unknown[]) => {
      if (control.failing) {
        throw new StoreUnavailableError(`harness: store switched off (${name})`, {
          cause: new Error("ECONNREFUSED (simulated)"),
        });
      }
      if (name === "set") {
        control.writtenKeys.add(args[0] as string);
        const userId = (args[1] as { userId?: string }).userId;
        if (userId !== undefined) control.userIds.add(userId);
      }
      return method.apply(inner, args);
    };
  }
  control.store = wrapper as unknown as SessionStore;
  return control;
}
