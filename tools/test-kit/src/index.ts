/**
 * Test helpers the framework adapters' tests share. Private to the
 * workspace: its exports point at the TypeScript source, which vitest and
 * tsc read without a build step.
 */
export {
  close,
  cookieOf,
  listen,
  type Reply,
  rawRequest,
  send,
} from "../../../scripts/http-test-kit.js";
export { thrownBy } from "./errors.js";
export {
  describeScenarios,
  describeStartupChecks,
  expectLogoutClearsEveryChunk,
  expectOutageAnswers503,
  INSECURE_COOKIES,
  type Late,
  type NodeAdapter,
  type RouteIO,
  type ScenarioApp,
  type Send,
  scenarioRoute,
} from "./scenarios.js";
export { serversPerTest, type TestServers } from "./servers.js";
export {
  type AppData,
  type AppFlash,
  type AppSession,
  type AppSessions,
  FlakyStore,
  keys,
  makeSessions,
  OUTAGE,
} from "./sessions.js";
