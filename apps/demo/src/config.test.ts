import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./config.js";

describe("readConfig", () => {
  it("defaults to memory on port 3000 with a generated secret", () => {
    expect(readConfig({})).toEqual({
      port: 3000,
      secret: undefined,
      store: "memory",
      redisUrl: undefined,
      databaseUrl: undefined,
      usersFile: undefined,
      trustProxy: false,
      hsts: false,
    });
  });

  it("reads the store switch and its URL", () => {
    expect(
      readConfig({ TESSERA_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379" }),
    ).toMatchObject({ store: "redis", redisUrl: "redis://127.0.0.1:6379" });
    expect(
      readConfig({ TESSERA_STORE: "postgres", DATABASE_URL: "postgres://u:p@127.0.0.1/db" }),
    ).toMatchObject({ store: "postgres", databaseUrl: "postgres://u:p@127.0.0.1/db" });
  });

  it.each([
    ["1", 1],
    ["loopback", "loopback"],
    ["true", true],
    ["false", false],
  ])("TRUST_PROXY=%s → %j", (value, expected) => {
    expect(readConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: "http" }, /PORT is invalid/],
    [{ PORT: "70000" }, /PORT is invalid/],
    [{ TESSERA_STORE: "mongo" }, /TESSERA_STORE is invalid/],
    [{ TESSERA_STORE: "redis" }, /needs REDIS_URL/],
    [{ TESSERA_STORE: "postgres" }, /needs DATABASE_URL/],
  ])("refuses %j", (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
