import { createSessions, type SessionEvent, type SessionsOptions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import type { SessionStore } from "@tessera/store";
import { type AppKind, type AppSessions, type Data, type RunningApp, startApp } from "./app.js";

export interface Fixture {
  app: RunningApp;
  sessions: AppSessions;
  events: SessionEvent[];
  close(): Promise<void>;
}

/** A manager on `store` and one app of `kind` serving it on 127.0.0.1. */
export async function startFixture(
  kind: AppKind,
  store: SessionStore | undefined,
  options: Partial<SessionsOptions> = {},
): Promise<Fixture> {
  const events: SessionEvent[] = [];
  const sessions = createSessions<Data, Data>({
    keys: createKeyring([{ id: "rel", secret: randomToken(32) }]),
    ...(store === undefined ? {} : { store }),
    bruteforce: false,
    onEvent: (event) => {
      events.push(event);
    },
    ...options,
  } as SessionsOptions);
  const app = await startApp(kind, sessions);
  return { app, sessions, events, close: () => app.close() };
}
