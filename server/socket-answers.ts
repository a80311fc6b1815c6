import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { LINGER_BYTES, LINGER_MS } from "@/lib/http/linger";
import { SUPPORTED_METHODS } from "./http-guards";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * Answers written straight to a connection, where Node gives no response object: a request its HTTP parser
 * refused (a head over --max-http-header-size, a malformed request line, header or chunk), and CONNECT.
 * Node's defaults write a bare 400 or 431 and destroy the socket at once, or close without a word; the bytes
 * the client is still sending then reset the connection, and the reset can destroy the answer on its side.
 * Here each is a JSON detail like every other error, and the connection closes the way linger.ts closes one:
 * the rest of the request is read and discarded, bounded in bytes and time, before the socket goes.
 */
const lingering = new WeakSet<Duplex>();

function answerAndLinger(socket: Duplex, status: number, detail: string, extra: Record<string, string> = {}): void {
  lingering.add(socket);
  const body = JSON.stringify({ detail });
  const headers = {
    ...SECURITY_HEADERS,
    ...extra,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join("")}\r\n${body}`);
  // The client closes once it has its answer (the socket then closes); one that keeps sending is cut off.
  let read = 0;
  socket.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) socket.destroy();
  });
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once("close", () => clearTimeout(timer));
}

/** What Node answers for each parser error. */
function refusalOf(code: string | undefined): [number, string] {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "Request header fields too large"];
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return [413, "Chunk extensions too large"];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "Request timeout"];
    default:
      return [400, "Malformed HTTP request"];
  }
}

/**
 * The server's 'clientError' listener. `responding`: a response is under way on the connection, and nothing
 * can be written between its bytes; the socket goes at once (as Node does).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, responding: boolean): void {
  // The parser reports the same error again for every later chunk of a lingering connection.
  if (lingering.has(socket)) return;
  if (!socket.writable || responding || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, detail] = refusalOf(error.code);
  answerAndLinger(socket, status, detail);
}

/** The server's 'connect' listener: a proxy's method, refused like TRACE. */
export function refuseConnect(socket: Duplex): void {
  answerAndLinger(socket, 405, "Method Not Allowed", { allow: SUPPORTED_METHODS.join(", ") });
}
