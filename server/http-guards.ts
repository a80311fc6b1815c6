import http from "node:http";

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

/** A Host header that is a bare authority (name or IP literal, optional port) and parses as one; or none. */
export function isValidHost(host: string | string[] | undefined): boolean {
  if (host === undefined) return true;
  if (Array.isArray(host) || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/.test(host)) return false;
  try {
    new URL(`http://${host}/`);
    return true;
  } catch {
    return false;
  }
}

export function isValidForwardedProto(proto: string | string[] | undefined): boolean {
  return proto === undefined || (typeof proto === "string" && /^https?$/i.test(proto));
}

/**
 * A multipart POST to a page (not a route handler) is a server action, or may be one (a form posted without
 * JavaScript). Next.js decodes it with fetch's FormData parser or busboy and answers a 500 when that fails (no
 * closing boundary, a filename* parameter...). This reads such a body (up to the server actions' limit),
 * answers 400 or 413 itself if it is not a well-formed form, and otherwise returns a request that replays the
 * body to Next.js.
 */
export async function checkedPageForm(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limitBytes: number,
): Promise<http.IncomingMessage | null> {
  const type = req.headers["content-type"] ?? "";
  const body = await readUpTo(req, limitBytes);
  if (body === "aborted") return null; // the client went away: nobody to answer
  if (body === "too large") {
    answer(res, 413, "Request body is too large");
    return null;
  }
  try {
    await new Request("http://localhost/", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) }).formData();
  } catch {
    answer(res, 400, "Invalid multipart body");
    return null;
  }
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

/** The whole body, or "too large" as soon as it passes `limit` (the rest is then read and discarded). */
function readUpTo(req: http.IncomingMessage, limit: number): Promise<Buffer | "too large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) resolve("too large");
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve("aborted"));
  });
}

export function answer(res: http.ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ detail }));
}
