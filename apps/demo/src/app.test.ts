import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handle } from "./app.js";

const server = createServer(handle);
let base = "";

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe("demo", () => {
  it("counts visits in a secure cookie", async () => {
    const first = await fetch(`${base}/`);
    expect(first.status).toBe(200);
    const setCookie = first.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^__Host-visits=1; /);
    expect(setCookie[0]).toMatch(/HttpOnly/);
    expect(setCookie[0]).toMatch(/Secure/);
    const second = await fetch(`${base}/`, { headers: { cookie: "__Host-visits=1" } });
    expect(await second.text()).toContain('<strong id="visits">2</strong>');
  });

  it("treats a garbage count as a first visit", async () => {
    const res = await fetch(`${base}/`, { headers: { cookie: "__Host-visits=%ff;;" } });
    expect(await res.text()).toContain('<strong id="visits">1</strong>');
  });

  it("answers 404 elsewhere", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
