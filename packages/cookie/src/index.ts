export type { ParseCookieOptions } from "./parse-cookie.js";
export { parseCookie } from "./parse-cookie.js";
