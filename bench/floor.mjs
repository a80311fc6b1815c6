/**
 * The floor: the least a server on this stack can do for the CloudNotes API requests the benchmark sends, with
 * node:http and pg directly (no framework, no ORM, no logging, no metrics). Each request does the same work as
 * CloudNotes (bench/reference/work.mjs: the bearer JWT with jose, the user lookup, the same SQL, the same
 * presigning, the same JSON). It is the physical limit of this machine and stack.
 *
 * Plain JavaScript on purpose: `node bench/floor.mjs`, no loader. Configured by the same environment variables
 * as the app (DATABASE_URL, SECRET_KEY, BUCKET_NAME, S3_ENDPOINT, AWS_*, DATABASE_POOL_MAX, PORT, HOSTNAME).
 */
import http from "node:http";
import { createWork } from "./reference/work.mjs";

const env = process.env;
const work = createWork(env);
await work.ready();

function send(res, { status, body, headers }) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(text);
}

async function fields(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return work.fields(req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://floor");
    const path = url.pathname;
    if (path === "/readyz") return send(res, { status: 200, body: { ready: true } });
    if (path === "/healthz") return send(res, { status: 200, body: { status: "ok" } });
    if (path === "/login" && req.method === "POST")
      return send(res, await work.login(await fields(req), req.socket.remoteAddress));
    const u = await work.user(req.headers.authorization);
    if (!u) return send(res, work.unauthorized());
    if (path === "/notes" && req.method === "GET") return send(res, await work.listNotes(u, url.searchParams));
    if (path === "/notes" && req.method === "POST") return send(res, await work.createNote(u, await fields(req)));
    if (path === "/uploads" && req.method === "POST") return send(res, await work.presignUpload(u, await fields(req)));
    const m = /^\/notes\/(\d+)\/title$/.exec(path);
    if (m && req.method === "PUT") return send(res, await work.updateTitle(u, Number(m[1]), await fields(req)));
    send(res, { status: 404, body: { detail: "Not Found" } });
  } catch (error) {
    console.error(error);
    if (!res.headersSent) send(res, { status: 500, body: { detail: "Internal Server Error" } });
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT ?? 3100), env.HOSTNAME ?? "127.0.0.1");
process.on("SIGTERM", () => server.close(() => work.end().then(() => process.exit(0))));
