import type { AppData, AppFlash } from "@tessera/test-kit";

// Registers the kit's data and flash types, so the session is typed in every route.
declare module "../src/index.js" {
  interface Register {
    data: AppData;
    flash: AppFlash;
  }
}

export * from "@tessera/test-kit";
