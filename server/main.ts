/**
 * The CloudNotes HTTP server: Next.js behind a thin node:http layer that does what an operator needs and
 * Next's own server does not (everything else is in Next's documented places: proxy.ts sets the
 * Content-Security-Policy of pages and refuses cross-site server actions, instrumentation.ts starts the
 * worker and reports request errors, next.config.ts holds the server actions' settings):
 * - one JSON log line per request with its request id, and request metrics for Prometheus (observe.ts);
 * - the client address from the socket, believing X-Forwarded-For only from TRUSTED_PROXIES;
 * - a 4xx for hostile input that Next.js would answer with a 500 (http-guards.ts), and a JSON answer that
 *   reaches the client for what Node refuses itself (socket-answers.ts, linger.ts);
 * - everything written to the console as JSON log lines, so that journald and CloudWatch receive one format;
 * - migrations before the port opens, and graceful shutdown on SIGTERM/SIGINT (shutdown.ts).
 * Public APIs: node:http, and Next.js's custom-server API (`next()`, prepare, getRequestHandler); the one private
 * interface, the build's configuration for standalone output, is isolated in next-standalone.ts.
 *
 * Production runs the bundle of this file inside the standalone build (scripts/build-server.mjs); development
 * runs it with tsx and `--dev`.
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import proxyaddr from "proxy-addr";
import { config, ConfigError } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { pool } from "@/lib/db/pool";
import { accessLogger, logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { markDraining, runShutdownHooks } from "@/lib/ops/lifecycle";
import { type RequestContext, requestContextStorage } from "@/lib/request-context";
import { consoleToLogger } from "./console";
import {
  answer,
  checkedActionBody,
  isMultipart,
  isOriginForm,
  isValidForwardedProto,
  isValidHost,
  SUPPORTED_METHODS,
} from "./http-guards";
import { observer, requestIdOf } from "./observe";
import { isRouteHandlerPath, routeOf as templateOf } from "./routes";
import { setSecurityHeaders } from "./security-headers";
import { applyBuildConfig } from "./next-standalone";
import { Drain } from "./shutdown";
import { lingerBeforeClose } from "./linger";
import { answerClientError, refuseConnect } from "./socket-answers";

type Req = http.IncomingMessage & { cloudnotes?: RequestContext };

const dev = process.argv.includes("--dev");
const dir = dev ? process.cwd() : path.dirname(new URL(import.meta.url).pathname);

function loadConfig() {
  try {
    return config();
  } catch (error) {
    if (error instanceof ConfigError) {
      // For the person starting it: plain text on stderr (journald keeps it), and exit 1 so systemd says so.
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

// Next reads NODE_ENV as it loads; it must be settled before anything else.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
const cfg = loadConfig();
if (!dev) consoleToLogger(logger); // in development the console stays readable

if (!dev) {
  process.chdir(dir);
  applyBuildConfig(dir);
}
// A request without Host gets its 400 from the request handler below, lingering like every answer (Node's
// own would close the connection under a body still arriving).
const server = http.createServer({ requireHostHeader: false });
// Longer than NGINX's upstream keepalive_timeout (60 s), so that the proxy always closes an idle connection
// first and never sends a request down one the app is closing (which would be a 502).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const app = next({ dev, dir, hostname: cfg.HOSTNAME, port: cfg.PORT, httpServer: server });
const handle = app.getRequestHandler();
const trusted = proxyaddr.compile(cfg.TRUSTED_PROXIES);
/** next.config.ts's experimental.serverActions.bodySizeLimit. */
const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

/** Route template for logs and metrics when no route handler named its own (pages, static files, 404s). */
function routeOf(req: http.IncomingMessage): string {
  const template = templateOf((req.url ?? "/").split("?")[0]!);
  return req.headers["next-action"] ? `${template} (action)` : template;
}

const watch = observer(accessLogger, metrics(), routeOf);
const drain = new Drain(server);

server.on("request", onRequest);
// Node answers an Expect header other than 100-continue with a bare 417 unless asked: through the same path.
server.on("checkExpectation", (req: Req, res: http.ServerResponse) => onRequest(req, res, true));
// What Node's parser refuses, and CONNECT, never reach a request listener (socket-answers.ts).
server.on("clientError", (error: NodeJS.ErrnoException, socket) =>
  answerClientError(error, socket, drain.isServing(socket)),
);
server.on("connect", (_req, socket) => refuseConnect(socket));

function onRequest(req: Req, res: http.ServerResponse, unmetExpectation = false): void {
  const requestId = requestIdOf(req);
  // Before Next.js sees the request: it adds X-Forwarded-* headers of its own.
  const viaProxy = req.headers["x-forwarded-for"] !== undefined;
  // Without X-Forwarded-For the client is the socket's peer whatever is trusted: no address parsing needed.
  const clientIp = viaProxy ? proxyaddr(req, trusted) : (req.socket.remoteAddress ?? "");
  const ctx: RequestContext = { requestId, clientIp, viaProxy };
  req.cloudnotes = ctx;
  res.setHeader("x-request-id", requestId);
  setSecurityHeaders(res);
  watch.observe(req, res, ctx);
  drain.track(res);
  lingerBeforeClose(req, res);

  if (!isDecodablePath(req.url) || !isOriginForm(req.url)) {
    // Next.js answers a malformed percent-encoding, or a target that is not a path ("*"), with a bare 500;
    // it is the client's mistake.
    answer(res, 400, "Malformed URL");
    return;
  }
  if (unmetExpectation) {
    answer(res, 417, "Only the expectation 100-continue is supported");
    return;
  }
  if (!SUPPORTED_METHODS.includes(req.method ?? "")) {
    answer(res, 405, "Method Not Allowed", { allow: SUPPORTED_METHODS.join(", ") });
    return;
  }
  // X-Forwarded-Host/Proto steer the absolute URLs Auth.js builds (trustHost): believed from a trusted proxy
  // only, like X-Forwarded-For, and then only if well-formed.
  if (
    (req.headers["x-forwarded-host"] !== undefined || req.headers["x-forwarded-proto"] !== undefined) &&
    !trusted(req.socket.remoteAddress ?? "", 0)
  ) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
  }
  if (req.headers.host === undefined && req.httpVersion === "1.1") {
    answer(res, 400, "Missing Host header"); // RFC 9112 §3.2
    return;
  }
  if (
    !isValidHost(req.headers.host) ||
    !isValidHost(req.headers["x-forwarded-host"]) ||
    !isValidForwardedProto(req.headers["x-forwarded-proto"])
  ) {
    // Pages build absolute URLs from them (Auth.js, Next.js): an invalid one ("", "a b", "[::1]:99999") threw
    // "Invalid URL" there, a 500. RFC 9112 says 400.
    answer(res, 400, "Invalid Host or X-Forwarded-Host/Proto header");
    return;
  }
  // A POST to a page with a Next-Action header or a multipart body is (or may be) a server action, whose body
  // Next.js decodes with a 500 when it is malformed; route handlers read their own bodies.
  const action =
    req.method === "POST" &&
    (req.headers["next-action"] !== undefined || isMultipart(req)) &&
    !isRouteHandlerPath(normalisedPath(req.url));

  requestContextStorage.run(ctx, () => {
    (async () => {
      const request = action ? await checkedActionBody(req, res, SERVER_ACTION_BODY_LIMIT) : req;
      if (request) await handle(request, res);
    })().catch((error: unknown) => {
      logger.error({ err: error }, "request handler failed");
      if (!res.headersSent) answer(res, 500, "Internal Server Error");
      else res.destroy();
    });
  });
}

function isDecodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]!);
    return true;
  } catch {
    return false;
  }
}

/** The path as Next.js routes it: dot segments ("..", "%2e%2e") resolved. */
function normalisedPath(url: string | undefined): string {
  return new URL(url ?? "/", "http://localhost").pathname;
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, inFlight: drain.pending }, "shutting down: draining requests");
  markDraining();
  // Background work (lib/jobs) stops taking new runs now and finishes its own while requests drain: one time
  // budget for both, within systemd's TimeoutStopSec.
  const hooks = runShutdownHooks();
  const left = await drain.drain(cfg.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  if (left > 0) logger.warn({ inFlight: left }, "shutdown timeout: closing with requests in flight");
  await hooks;
  await pool()
    .end()
    .catch(() => {});
  // The access log is a logger of its own: its last lines are written before the final one.
  await new Promise<void>((resolve) => accessLogger.flush(() => resolve()));
  logger.info("stopped");
  logger.flush?.();
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

/**
 * Start-up before the port opens: pending migrations are applied (serialised across instances by an advisory
 * lock), so that a proxy never sends a request to an instance whose schema is not current, and a failed
 * migration stops the process before it ever listens. (instrumentation.ts starts the rest inside Next.js.)
 */
async function migrateBeforeListening(): Promise<void> {
  if (!cfg.MIGRATE_ON_START) return;
  try {
    const result = await migrate(pool());
    if (result.applied.length > 0) logger.info({ applied: result.applied }, "database migrations applied");
  } catch (error) {
    const message = `Start-up failed: ${(error as Error).message}`;
    logger.fatal(message);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}

await migrateBeforeListening();
await app.prepare();
if (!stopping)
  server.listen(cfg.PORT, cfg.HOSTNAME, () => {
    logger.info({ url: `http://${cfg.HOSTNAME}:${cfg.PORT}`, dev }, "CloudNotes listening");
  });
