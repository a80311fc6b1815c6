import net from "node:net";
import zlib from "node:zlib";

/**
 * A deliberately dumb HTTP/1.1 client on a raw socket: it sends exactly the bytes it is given (control
 * characters in the path, unknown methods, duplicated or oversized headers, any body), which fetch and
 * node:http refuse to do, and reads one response (Connection: close) with its body de-chunked and decompressed.
 */

export interface RawRequest {
  method: string;
  /** The request target, sent as is (may hold spaces, control characters, bytes that are not UTF-8). */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /** Send the body chunked instead of with a Content-Length. */
  chunked?: boolean;
  /** Leave out the Host header the client adds by default (a header of the same name in `headers` replaces it). */
  noHost?: boolean;
  /** Speak HTTP/1.0 (where Host is optional). */
  http10?: boolean;
}

export interface RawResponse {
  /** 0: no response at all (connection closed or reset first, or the deadline passed: see `error`). */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  ms: number;
  error?: string;
}

function serialise(port: number, req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.${req.http10 ? 0 : 1}`];
  const names = new Set(req.headers.map(([n]) => n.toLowerCase()));
  if (!req.noHost && !names.has("host")) lines.push(`Host: 127.0.0.1:${port}`);
  lines.push("Connection: close");
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  let body = req.body ?? Buffer.alloc(0);
  if (req.chunked) {
    lines.push("Transfer-Encoding: chunked");
    const parts: Buffer[] = [];
    for (let i = 0; i < body.length; i += 64 * 1024) {
      const piece = body.subarray(i, i + 64 * 1024);
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
    }
    parts.push(Buffer.from("0\r\n\r\n"));
    body = Buffer.concat(parts);
  } else if (req.body !== undefined && !names.has("content-length")) {
    lines.push(`Content-Length: ${body.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8"), body]);
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString("latin1").split(";")[0]!.trim(), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function decode(headers: Record<string, string>, raw: Buffer): Buffer {
  let body = /chunked/i.test(headers["transfer-encoding"] ?? "") ? dechunk(raw) : raw;
  const encoding = (headers["content-encoding"] ?? "").toLowerCase();
  try {
    if (encoding === "gzip") body = zlib.gunzipSync(body);
    else if (encoding === "br") body = zlib.brotliDecompressSync(body);
    else if (encoding === "deflate") body = zlib.inflateSync(body);
  } catch {
    // a truncated compressed body: keep the raw bytes
  }
  return body;
}

function parse(data: Buffer, ms: number, error?: string): RawResponse {
  // Interim answers (100 Continue to an Expect header) come first; the response is the one after them.
  while (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 16).toString("latin1"))) {
    const end = data.indexOf("\r\n\r\n");
    if (end < 0) break;
    data = data.subarray(end + 4);
  }
  const end = data.indexOf("\r\n\r\n");
  const head = (end < 0 ? data : data.subarray(0, end)).toString("latin1");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!match)
    return {
      status: 0,
      headers: {},
      body: data,
      ms,
      error: error ?? `no status line: ${JSON.stringify(head.slice(0, 100))}`,
    };
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      headers[name] = headers[name]
        ? `${headers[name]}, ${line.slice(colon + 1).trim()}`
        : line.slice(colon + 1).trim();
    }
  }
  return {
    status: Number(match[1]),
    headers,
    body: end < 0 ? Buffer.alloc(0) : decode(headers, data.subarray(end + 4)),
    ms,
  };
}

const WRITE_FIRST_MS = 1000;

/**
 * Sends one request on a new connection and reads the response until the server closes the connection.
 * Reading starts once the whole request is written, as simple clients do: a server that closes the connection
 * while the body is still arriving resets it, and the reset discards the unread answer, every time rather than
 * now and then. A write still pending after WRITE_FIRST_MS (a server sending a large answer before it reads the
 * body) starts reading anyway.
 */
export function rawRequest(port: number, req: RawRequest, deadlineMs = 30_000): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const socket = net.connect({ port, host: "127.0.0.1" }).pause();
    const readAnyway = setTimeout(() => socket.resume(), WRITE_FIRST_MS);
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(readAnyway);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), performance.now() - started, error));
    };
    const timer = setTimeout(() => {
      error = `no complete response within ${deadlineMs} ms`;
      finish();
    }, deadlineMs);
    socket.on("data", (c: Buffer) => chunks.push(c));
    // A failed write (the server closed early) or a reset ends the exchange: what arrived before is the answer.
    socket.on("error", (e) => {
      error ??= (e as NodeJS.ErrnoException).code ?? e.message;
      finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.write(serialise(port, req), () => socket.resume());
  });
}

/** The request as a copy-pasteable description, for reproducing a failure. */
export function describeRequest(req: RawRequest): string {
  const body = req.body ?? Buffer.alloc(0);
  const shown =
    body.length > 600
      ? `${JSON.stringify(body.subarray(0, 600).toString("latin1"))}… (${body.length} bytes)`
      : JSON.stringify(body.toString("latin1"));
  const headers = req.headers.map(
    ([n, v]) =>
      `  ${n}: ${v.length > 300 ? `${JSON.stringify(v.slice(0, 300))}… (${v.length} chars)` : JSON.stringify(v)}`,
  );
  const flags = `${req.chunked ? " (chunked)" : ""}${req.noHost ? " (no Host)" : ""}${req.http10 ? " (HTTP/1.0)" : ""}`;
  return [`${req.method} ${JSON.stringify(req.target)}${flags}`, ...headers, `  body: ${shown}`].join("\n");
}
