// The Authorization: Bearer grammar lives in @tessera/signing, which both this
// package and @tessera/session build on, so the two read the header alike.
export { type BearerRead, readBearerToken } from "@tessera/signing";
