// express-session ships no types; the tests drive the real package untyped
// (installing @types/express-session would also redeclare req.session).
declare module "express-session";

// Express 4 under an npm alias; its API used here is the same as Express 5's.
declare module "express4" {
  import express from "express";
  export default express;
}
