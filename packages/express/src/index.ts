// The migrate entry plus the global declaration of `req.session` and the
// Register types it follows: the two entries export the same runtime code.
export * from "./migrate.js";
export type { RequestSession } from "./request.js";
export type { MatchesRegister, Register, RegisteredData, RegisteredFlash } from "./types.js";
