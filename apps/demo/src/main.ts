import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { randomToken, SigningError } from "@tessera/signing";
import { ConfigError, readConfig } from "./config.js";
import { createDemo } from "./create-app.js";
import { openStores } from "./open-stores.js";
import { UserDirectory } from "./users.js";

// Loopback only: the demo is for this machine. Put a reverse proxy in front to serve others (README).
const HOST = "127.0.0.1";

async function main(): Promise<void> {
  const config = readConfig(process.env);
  let secret = config.secret;
  if (secret === undefined) {
    secret = randomToken(32);
    console.log(
      "TESSERA_SECRET is not set: using a random secret for this run, so sessions do not survive a restart.",
    );
  }
  const stores = await openStores(config);
  const users = await UserDirectory.open(config.usersFile);
  const { app } = await createDemo({
    secret,
    sessionStore: stores.sessionStore,
    tokenStore: stores.tokenStore,
    storeLabel: stores.label,
    users,
    trustProxy: config.trustProxy,
    hsts: config.hsts,
  });
  const server = app.listen(config.port, HOST);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  console.log(
    `Sessions in ${stores.label}; users ${config.usersFile === undefined ? "in memory" : `in ${config.usersFile}`}.`,
  );
  // localhost, not 127.0.0.1: browsers treat http://localhost as a secure context, so the Secure __Host- cookie works.
  console.log(`Tessera demo listening on http://localhost:${port}/`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    stores.close().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || SigningError.isInstance(error)) {
    console.error(`Cannot start the demo: ${(error as Error).message}`);
    if (SigningError.isInstance(error)) {
      console.error(
        "TESSERA_SECRET must be base64url of 32+ random bytes: node -e \"console.log(crypto.randomBytes(32).toString('base64url'))\"",
      );
    }
  } else {
    console.error(error);
  }
  process.exit(1);
});
