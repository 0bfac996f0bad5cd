// memjs 1.3 ships no types; these tests need Client.create and close.
declare module "memjs" {
  const memjs: {
    Client: { create(servers: string, options?: Record<string, unknown>): { close(): void } };
  };
  export default memjs;
}
