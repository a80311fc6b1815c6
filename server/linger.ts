import type http from "node:http";
import { LINGER_BYTES, LINGER_MS } from "@/lib/http/linger";

/**
 * A lingering close (NGINX's, RFC 9112 §9.6). When a response ends before its request's body has arrived, on a
 * connection that closes after it (Connection: close, HTTP/1.0), Node closes the socket as soon as the answer
 * is written. The client's bytes still on the way then reset the connection, and the reset can destroy the
 * unread answer on the client's side (a 401 to an upload with an expired token becomes "connection reset").
 * Here the end of such a response waits until the rest of the body has been read and discarded, bounded in
 * bytes and time. Kept-alive connections need nothing: Node reads and discards the rest of a body itself.
 */
export function lingerBeforeClose(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!hasBody(req) || !closesAfter(req)) return;
  const end = res.end;
  res.end = function (this: http.ServerResponse, ...args: unknown[]) {
    if (req.complete || req.destroyed) return Reflect.apply(end, this, args);
    void received(req).then(() => Reflect.apply(end, this, args));
    return this;
  } as typeof res.end;
}

function hasBody(req: http.IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

function closesAfter(req: http.IncomingMessage): boolean {
  const connection = (req.headers.connection ?? "").toLowerCase();
  return /\bclose\b/.test(connection) || (req.httpVersion === "1.0" && !/\bkeep-alive\b/.test(connection));
}

/** Until the whole body has arrived (read and discarded), LINGER_BYTES more of it, LINGER_MS, or an error. */
function received(req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      req.off("data", count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read > LINGER_BYTES) done();
    };
    const timer = setTimeout(done, LINGER_MS);
    req.on("data", count).once("end", done).once("error", done).once("close", done);
    req.resume();
  });
}
