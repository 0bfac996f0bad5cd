/** What the demo keeps in a session (type aliases: interfaces carry no index signature). */
export type DemoData = { counter: number };
/** Flash messages shown once on the next page. */
export type DemoFlash = { notice: string; error: string };

declare module "@tessera/express" {
  interface Register {
    data: DemoData;
    flash: DemoFlash;
  }
}
