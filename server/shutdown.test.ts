import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { poll } from "@/e2e/support/poll";
import { Drain } from "./shutdown";

function get(url: string, agent: http.Agent): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      })
      .on("error", reject);
  });
}

describe("Drain", () => {
  it("stops accepting, lets the request in flight finish with Connection: close, then closes", async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const server = http.createServer(async (req, res) => {
      drain.track(res);
      if (req.url === "/slow") await slow;
      res.end("done");
    });
    const drain = new Drain(server, 100);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    expect((await get(`${url}/fast`, agent)).connection).toBe("keep-alive");
    const inFlight = get(`${url}/slow`, agent);
    await poll(
      async () => drain.pending,
      (n) => n === 1,
      "the slow request to arrive",
    );
    const drained = drain.drain(5000);

    // New connections are refused at once.
    const fresh = new http.Agent({ keepAlive: false });
    await expect(get(`${url}/fast`, fresh)).rejects.toThrow(/ECONNREFUSED/);
    release();
    expect(await inFlight).toMatchObject({ status: 200, connection: "close", body: "done" });
    expect(await drained).toBe(0);
    expect(drain.pending).toBe(0);
    agent.destroy();
  });

  it("gives up after the timeout and reports what was still in flight", async () => {
    const server = http.createServer((_req, res) => drain.track(res)); // never answers
    const drain = new Drain(server, 10);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const request = get(url, new http.Agent()).catch((e: Error) => e);
    await poll(
      async () => drain.pending,
      (n) => n === 1,
      "the request to arrive",
    );
    expect(await drain.drain(200)).toBe(1);
    expect(await request).toBeInstanceOf(Error); // its connection was closed
  });

  it("knows on which connections a request is in flight", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const server = http.createServer(async (_req, res) => {
      drain.track(res);
      await held;
      res.end("done");
    });
    let socket: object | undefined;
    server.on("connection", (s) => (socket = s));
    const drain = new Drain(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = get(url, agent);
    await poll(
      async () => drain.pending,
      (n) => n === 1,
      "the request to arrive",
    );
    expect(drain.isServing(socket!)).toBe(true);
    release();
    await request;
    expect(drain.isServing(socket!)).toBe(false); // the connection stays open, idle
    agent.destroy();
    server.close();
  });
});
