export type { SessionErrorCode } from "./errors.js";
export { SessionError } from "./errors.js";
export type { RejectReason, SessionEvent, SessionEventListener, StoreOperation } from "./events.js";
