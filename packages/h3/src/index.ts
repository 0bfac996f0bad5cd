export type { H3SessionErrorCode } from "./errors.js";
export { H3SessionError } from "./errors.js";
export type { MatchesRegister, Register, RequestSession, SessionEvent } from "./types.js";
export type { H3SessionOptions } from "./with-session.js";
export { sessionOf, withSession } from "./with-session.js";
