import http from "node:http";
import { formReplyRefusal, textReplyRefusal } from "./action-body";
import { LINGER_BYTES, LINGER_MS } from "@/lib/http/linger";

/**
 * Checks the HTTP server makes before a request reaches Next.js, for malformed input that Next.js (or Auth.js
 * inside it) would otherwise answer with a 500: each was found by the fuzz test (e2e/fuzz/api-fuzz.test.ts).
 */

/** The methods Next.js handles; it builds a fetch Request, which refuses TRACE, CONNECT and TRACK (a 500). */
export const SUPPORTED_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"];

/** Origin-form ("/path?query") only: "*" (asterisk-form) made Next.js throw "Invalid URL". */
export function isOriginForm(url: string | undefined): boolean {
  return (url ?? "").startsWith("/");
}

/**
 * Hosts already found valid: nearly every request repeats one of a few, and parsing the URL is most of the
 * check's cost. Bounded, so that varied hostile hosts cannot grow it.
 */
const validHosts = new Set<string>();
const VALID_HOSTS_KEPT = 64;

/** A Host header that is a bare authority (name or IP literal, optional port) and parses as one; or none. */
export function isValidHost(host: string | string[] | undefined): boolean {
  if (host === undefined || (typeof host === "string" && validHosts.has(host))) return true;
  if (Array.isArray(host) || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/.test(host)) return false;
  try {
    new URL(`http://${host}/`);
  } catch {
    return false;
  }
  if (validHosts.size >= VALID_HOSTS_KEPT) validHosts.clear();
  validHosts.add(host);
  return true;
}

export function isValidForwardedProto(proto: string | string[] | undefined): boolean {
  return proto === undefined || (typeof proto === "string" && /^https?$/i.test(proto));
}

/**
 * A POST to a page that is, or may be, a server action: with a Next-Action header (a fetch action, its body
 * text or multipart), or multipart without one (a form posted without JavaScript). Next.js reads such a body
 * and decodes it with fetch's FormData parser or busboy and React's decodeReply/decodeAction, and answers a 500
 * when that fails (no closing boundary, a filename* parameter, a body that is not JSON, arguments nested
 * thousands deep, over the size limit). This reads the body (up to the server actions' limit, counted as it
 * arrives), answers 400 or 413 itself if it is not well-formed (action-body.ts), and otherwise
 * returns a request that replays the body to Next.js.
 */
export async function checkedActionBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limitBytes: number,
): Promise<http.IncomingMessage | null> {
  const body = await readUpTo(req, limitBytes);
  if (body === "aborted") return null; // the client went away: nobody to answer
  if (body === "too large") {
    answer(res, 413, "Request body is too large");
    return null;
  }
  const fetchAction = req.headers["next-action"] !== undefined;
  let refusal: string | null;
  if (isMultipart(req)) {
    let form: FormData;
    try {
      const type = req.headers["content-type"] ?? "";
      form = await new Request("http://localhost/", {
        method: "POST",
        headers: { "content-type": type },
        body: new Uint8Array(body),
      }).formData();
    } catch {
      answer(res, 400, "Invalid multipart body");
      return null;
    }
    refusal = formReplyRefusal(form, fetchAction);
  } else {
    refusal = textReplyRefusal(body);
  }
  if (refusal) {
    answer(res, 400, refusal);
    return null;
  }
  return replay(req, body);
}

/** A request that Next.js can read like the original, its body (already read) coming again. */
function replay(req: http.IncomingMessage, body: Buffer): http.IncomingMessage {
  const replay = new http.IncomingMessage(req.socket);
  replay.method = req.method;
  replay.url = req.url;
  replay.headers = req.headers;
  replay.rawHeaders = req.rawHeaders;
  replay.httpVersion = req.httpVersion;
  replay.httpVersionMajor = req.httpVersionMajor;
  replay.httpVersionMinor = req.httpVersionMinor;
  replay.complete = true;
  replay.push(body);
  replay.push(null);
  return replay;
}

export function isMultipart(req: http.IncomingMessage): boolean {
  return /^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "");
}

/**
 * The whole body, or "too large" once it passes `limit`: nothing past the limit is kept, and the rest is read
 * and discarded. The answer waits until the client has sent the rest (bounded in bytes and time): closing the
 * connection while it still sends would reset it, and the reset can destroy the unread 413 on its side.
 */
function readUpTo(req: http.IncomingMessage, limit: number): Promise<Buffer | "too large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (result: Buffer | "too large" | "aborted") => {
      clearTimeout(timer);
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + LINGER_BYTES) done("too large");
      else if (!timer) {
        chunks.length = 0;
        timer = setTimeout(() => done("too large"), LINGER_MS);
      }
    });
    req.on("end", () => done(size > limit ? "too large" : Buffer.concat(chunks)));
    req.on("error", () => done("aborted"));
  });
}

export function answer(
  res: http.ServerResponse,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ detail }));
}
