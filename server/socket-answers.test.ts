import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientError, refuseConnect } from "./socket-answers";

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("served"));
  server.on("clientError", (error, socket) => answerClientError(error, socket, false));
  server.on("connect", (_req, socket) => refuseConnect(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * Sends `head` and `bodyBytes` bytes after it, and reads the answer only once all is sent (as a simple client
 * does); resolves with what came back. A server that closes while the body is still arriving resets the
 * connection, and the reset discards the answer waiting to be read.
 */
function send(head: string, bodyBytes: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, "127.0.0.1").pause();
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.write(Buffer.concat([Buffer.from(head), Buffer.alloc(bodyBytes, "x")]), () => socket.resume());
  });
}

const statusAndBody = (answer: string) => [answer.split("\r\n")[0], answer.split("\r\n\r\n")[1]];

describe("answers written straight to the connection", () => {
  it("answers a head over the size limit with 431, even while the client is still sending its body", async () => {
    const head = `POST /notes HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(32 * 1024)}\r\nContent-Length: 4000000\r\n\r\n`;
    for (let i = 0; i < 20; i++) {
      const answer = await send(head, 4_000_000);
      expect(statusAndBody(answer)).toEqual([
        "HTTP/1.1 431 Request Header Fields Too Large",
        '{"detail":"Request header fields too large"}',
      ]);
      expect(answer).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
    }
  });

  it("answers a malformed request with 400 and a JSON detail", async () => {
    const head = "PUT /notes/1 HTTP/1.1\r\nHost: x\r\nNo colon here\r\nContent-Length: 2000000\r\n\r\n";
    for (let i = 0; i < 20; i++) {
      expect(statusAndBody(await send(head, 2_000_000))).toEqual([
        "HTTP/1.1 400 Bad Request",
        '{"detail":"Malformed HTTP request"}',
      ]);
    }
  });

  it("cuts off a client that never stops sending after its answer", async () => {
    // Half-open: it goes on sending after the server's FIN.
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {});
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Header: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
    const piece = Buffer.alloc(64 * 1024, "y");
    const pump = () => {
      while (!socket.destroyed && socket.write(piece));
    };
    socket.on("drain", pump);
    pump();
    await closed;
    expect(Buffer.concat(chunks).toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  }, 20_000);

  it("refuses CONNECT with 405 and the methods allowed, where Node would close without a word", async () => {
    const answer = await send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 100_000);
    expect(statusAndBody(answer)).toEqual(["HTTP/1.1 405 Method Not Allowed", '{"detail":"Method Not Allowed"}']);
    expect(answer).toMatch(/\r\nallow: GET, HEAD, OPTIONS, POST, PUT, DELETE, PATCH\r\n/);
  });

  it("leaves well-formed requests to the server", async () => {
    const answer = await send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nserved$/);
  });
});
