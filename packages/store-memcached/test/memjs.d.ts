// memjs 1.3 ships no types; the tests only need Client.create.
declare module "memjs" {
  const memjs: { Client: { create(servers: string, options?: Record<string, unknown>): unknown } };
  export default memjs;
}
