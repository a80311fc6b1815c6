/**
 * The CloudNotes HTTP server: Next.js behind a thin node:http layer that does what an operator needs and
 * Next's own server does not:
 * - one JSON log line per request (pino-http) with its request id (X-Request-Id, propagated or made), method,
 *   route template, status, latency and user id, and request metrics for Prometheus;
 * - the client address from the socket, believing X-Forwarded-For only from TRUSTED_PROXIES;
 * - the Content-Security-Policy with a per-request nonce (lib/http/csp.ts), which Next.js puts on its scripts;
 * - everything written to the console (Next.js, Auth.js, libraries) and process warnings as JSON log lines,
 *   so that journald and CloudWatch receive one format;
 * - graceful shutdown on SIGTERM/SIGINT: readiness turns false, no new connections, requests in flight
 *   finish, then the worker and the database pool are closed (details at shutdown()).
 *
 * Production runs the bundle of this file inside the standalone build (scripts/build-server.mjs); development
 * runs it with tsx and `--dev`. Migrations and the worker start from instrumentation.ts, inside Next.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { format } from "node:util";
import next from "next";
import pinoHttp from "pino-http";
import proxyaddr from "proxy-addr";
import { config, ConfigError } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { s3BrowserSources } from "@/lib/files/browser-origins";
import { contentSecurityPolicy, type CspSettings, newNonce } from "@/lib/http/csp";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { markDraining, runShutdownHooks } from "@/lib/ops/lifecycle";
import { type RequestContext, requestContextStorage } from "@/lib/request-context";
import {
  answer,
  checkedActionBody,
  crossOriginRefusal,
  isMultipart,
  isOriginForm,
  isValidForwardedProto,
  isValidHost,
  SUPPORTED_METHODS,
} from "./lib/http-guards";
import { setSecurityHeaders } from "./lib/security-headers";

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

/**
 * One log format: console output of Next.js and libraries (Auth.js errors, React render errors) becomes pino
 * lines at the matching level, with the request id when written during a request. Node's own warning printer
 * is replaced the same way (it would write plain text to stderr).
 */
function consoleToLogger(): void {
  const levels = { log: "info", info: "info", debug: "debug", warn: "warn", error: "error", trace: "trace" } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      logger[level]({ source: "console", ...(err ? { err } : {}) }, format(...args));
    };
  }
  process.removeAllListeners("warning");
  process.on("warning", (warning) => logger.warn({ source: "process", err: warning }, warning.message));
}

// Next reads NODE_ENV as it loads; it must be settled before anything else.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
const cfg = loadConfig();
if (!dev) consoleToLogger(); // in development the console stays readable
const csp: CspSettings = {
  s3Sources: s3BrowserSources(cfg),
  formTargets: cfg.AUTH_GITHUB_ID ? ["https://github.com"] : [],
  dev,
};

// The standalone build keeps the resolved next.config in required-server-files.json (as Next's own
// standalone server.js uses it).
function standaloneConfig() {
  const file = path.join(dir, ".next", "required-server-files.json");
  if (dev || !existsSync(file)) return undefined;
  const { config: conf } = JSON.parse(readFileSync(file, "utf8"));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
  return conf;
}

if (!dev) process.chdir(dir);
const server = http.createServer();
// Longer than NGINX's upstream keepalive_timeout (60 s), so that the proxy always closes an idle connection
// first and never sends a request down one the app is closing (which would be a 502).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const app = next({
  dev,
  dir,
  conf: standaloneConfig(),
  hostname: cfg.HOSTNAME,
  port: cfg.PORT,
  httpServer: server,
});
const handle = app.getRequestHandler();
const trusted = proxyaddr.compile(cfg.TRUSTED_PROXIES);
const { ofRequest: routeOf, ofPath: routeOfPath } = routeMatcher();
const routeHandlers = routeHandlerTemplates();
/** next.config.ts's experimental.serverActions.bodySizeLimit. */
const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const httpLogger = pinoHttp({
  logger,
  genReqId: (req) => (req as Req).cloudnotes!.requestId,
  // Added to the final line only (the request id and user id come from the logger's request context).
  customSuccessObject: (req, res, value) => withRoute(req as Req, value),
  customErrorObject: (req, res, error, value) => withRoute(req as Req, value),
  customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
  customSuccessMessage: (req, res) => `${req.method} ${res.statusCode}`,
  customErrorMessage: (req, res) => `${req.method} ${res.statusCode}`,
  serializers: {
    // The path only: query strings may carry search text, and nothing else of the request is needed.
    req: (req) => ({ method: req.method, path: String(req.url ?? "").split("?")[0] }),
    res: (res) => ({ status: res.statusCode }),
  },
  autoLogging: { ignore: (req) => (req.url ?? "").startsWith("/_next/static/") },
});

function withRoute(req: Req, value: object): object {
  const ctx = req.cloudnotes;
  // Named explicitly: the response may finish outside the request's async context (streamed pages), where
  // the logger's mixin no longer sees it.
  return {
    ...value,
    reqId: ctx?.requestId,
    ...(ctx?.userId ? { userId: ctx.userId } : {}),
    route: ctx?.route ?? routeOf(req),
    ip: ctx?.clientIp,
  };
}

let shuttingDown = false;
/** Responses not finished yet; on shutdown they are told to close their connection when done. */
const inFlight = new Set<http.ServerResponse>();

server.on("request", (req: Req, res: http.ServerResponse) => {
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  // Before Next.js sees the request: it adds X-Forwarded-* headers of its own.
  const viaProxy = req.headers["x-forwarded-for"] !== undefined;
  const ctx: RequestContext = { requestId, clientIp: proxyaddr(req, trusted), viaProxy };
  req.cloudnotes = ctx;
  res.setHeader("x-request-id", requestId);
  setSecurityHeaders(res);
  httpLogger(req, res);

  const m = metrics();
  const started = process.hrtime.bigint();
  inFlight.add(res);
  lastRequestAt = Date.now();
  m.httpInFlight.inc();
  // While draining, no connection is kept alive: the proxy must open its next one to another instance.
  if (shuttingDown) res.setHeader("connection", "close");
  res.once("close", () => {
    inFlight.delete(res);
    m.httpInFlight.dec();
    const labels = { method: req.method ?? "GET", route: ctx.route ?? routeOf(req), status: String(res.statusCode) };
    m.httpRequests.inc(labels);
    m.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });

  if (!isDecodablePath(req.url) || !isOriginForm(req.url)) {
    // Next.js answers a malformed percent-encoding, or a target that is not a path ("*"), with a bare 500;
    // it is the client's mistake.
    answer(res, 400, "Malformed URL");
    return;
  }
  if (!SUPPORTED_METHODS.includes(req.method ?? "")) {
    answer(res, 405, "Method Not Allowed", { allow: SUPPORTED_METHODS.join(", ") });
    return;
  }
  // X-Forwarded-Host/Proto steer the absolute URLs Auth.js builds (trustHost): believed from a trusted proxy
  // only, like X-Forwarded-For, and then only if well-formed.
  if (!trusted(req.socket.remoteAddress ?? "", 0)) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
  }
  if (!isValidHost(req.headers.host) || !isValidHost(req.headers["x-forwarded-host"]) || !isValidForwardedProto(req.headers["x-forwarded-proto"])) {
    // Pages build absolute URLs from them (Auth.js, Next.js): an invalid one ("", "a b", "[::1]:99999") threw
    // "Invalid URL" there, a 500. RFC 9112 says 400 (Node only rejects a missing Host on HTTP/1.1).
    answer(res, 400, "Invalid Host or X-Forwarded-Host/Proto header");
    return;
  }
  // POSTs that Next.js may take for server actions: to a page, with a Next-Action header or a multipart body.
  const toPage = req.method === "POST" && !routeHandlers.has(routeOfPath(normalisedPath(req.url)));
  const action = toPage && (req.headers["next-action"] !== undefined || isMultipart(req));
  const refusal = action ? crossOriginRefusal(req) : null;
  if (refusal) {
    answer(res, refusal.status, refusal.detail);
    return;
  }

  const pathname = req.url!.split("?")[0]!;
  if (!pathname.startsWith("/_next/static/")) {
    // Next.js takes the nonce for its scripts from the request's policy (any client-sent one is replaced).
    const policy = contentSecurityPolicy(pathname, newNonce(), csp);
    req.headers["content-security-policy"] = policy;
    res.setHeader("content-security-policy", policy);
  }

  requestContextStorage.run(ctx, () => {
    (async () => {
      const request = action ? await checkedActionBody(req, res, SERVER_ACTION_BODY_LIMIT) : req;
      if (request) await handle(request, res);
    })().catch((error: unknown) => {
      logger.error({ err: error }, "request handler failed");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ detail: "Internal Server Error" }));
      } else res.destroy();
    });
  });
});

function isDecodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]!);
    return true;
  } catch {
    return false;
  }
}

/**
 * Route templates for metric labels of pages and static files (API handlers name theirs), from the build's
 * routes manifest, so that /notes/123 and /notes/456 count as one series.
 */
function routeMatcher(): { ofRequest: (req: http.IncomingMessage) => string; ofPath: (path: string) => string } {
  type Entry = { page: string; regex: string };
  let routes: { page: string; re: RegExp }[] = [];
  const manifest = path.join(dir, ".next", "routes-manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { staticRoutes?: Entry[]; dynamicRoutes?: Entry[] };
    routes = [...(m.staticRoutes ?? []), ...(m.dynamicRoutes ?? [])].map((r) => ({ page: r.page, re: new RegExp(r.regex) }));
  }
  const ofPath = (p: string) => routes.find((r) => r.re.test(p))?.page ?? "unmatched";
  const ofRequest = (req: http.IncomingMessage) => {
    const p = (req.url ?? "/").split("?")[0]!;
    if (p.startsWith("/_next/static/")) return "/_next/static";
    if (p.startsWith("/_next/")) return p.split("/").slice(0, 3).join("/");
    const page = ofPath(p);
    return req.headers["next-action"] ? `${page} (action)` : page;
  };
  return { ofRequest, ofPath };
}

/** The path as Next.js routes it: dot segments ("..", "%2e%2e") resolved. */
function normalisedPath(url: string | undefined): string {
  return new URL(url ?? "/", "http://localhost").pathname;
}

/** Route templates served by route handlers (the REST API, Auth.js...), as opposed to pages. */
function routeHandlerTemplates(): Set<string> {
  const manifest = path.join(dir, ".next", "app-path-routes-manifest.json");
  if (!existsSync(manifest)) return new Set();
  const entries = Object.entries(JSON.parse(readFileSync(manifest, "utf8")) as Record<string, string>);
  return new Set(entries.filter(([file]) => file.endsWith("/route")).map(([, route]) => route));
}

/** Quiet time after the last request before idle keep-alive connections are closed (see shutdown()). */
const DRAIN_QUIET_MS = 1000;
let lastRequestAt = 0;

/**
 * Graceful shutdown, built around NGINX's passive failover:
 * 1. Stop listening at once: a new connection is refused, and NGINX passes the request to another instance
 *    (even a POST, since nothing was sent) and soon marks this one down.
 * 2. Keep the connections NGINX already has open: a request arriving on one is served, with
 *    `Connection: close`, so that each closes after its response. Closing an idle keep-alive connection while
 *    NGINX may be writing a request into it would turn that request into a 502 (and a POST is not retried),
 *    so idle connections are closed only once no request has arrived for DRAIN_QUIET_MS: by then NGINX has
 *    stopped choosing this instance. (http.Server#close would close them at once, hence net.Server#close.)
 * 3. Wait for requests in flight, up to SHUTDOWN_TIMEOUT_SECONDS; then stop the worker, close the pool, exit 0.
 */
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal, inFlight: inFlight.size }, "shutting down: draining requests");
  markDraining();
  net.Server.prototype.close.call(server);
  for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
  const deadline = Date.now() + cfg.SHUTDOWN_TIMEOUT_SECONDS * 1000;
  while (Date.now() < deadline && (inFlight.size > 0 || Date.now() - lastRequestAt < DRAIN_QUIET_MS)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (inFlight.size > 0) logger.warn({ inFlight: inFlight.size }, "shutdown timeout: closing with requests in flight");
  server.closeAllConnections();
  await runShutdownHooks();
  await pool()
    .end()
    .catch(() => {});
  logger.info("stopped");
  logger.flush?.();
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

/**
 * Start-up before the port opens: instrumentation.ts validates the configuration and applies pending
 * migrations (lib/ops/startup.ts), so that a proxy never sends a request to an instance whose schema is not
 * current, and a failed migration stops the process before it ever listens. In production Next.js's
 * `prepare()` leaves that to the first request; preparing its inner server runs it now (the call is memoised,
 * requests later wait on the same promise).
 */
async function prepare(): Promise<void> {
  await app.prepare();
  type Prepared = { prepare?: () => Promise<void> };
  const outer = (app as unknown as { server?: { getServer?: () => Promise<Prepared> } }).server;
  const inner = await outer?.getServer?.();
  if (typeof inner?.prepare === "function") await inner.prepare();
  else logger.warn("Next.js internals changed: start-up (migrations) will run with the first request instead");
}

await prepare();
if (!shuttingDown) server.listen(cfg.PORT, cfg.HOSTNAME, () => {
  logger.info({ url: `http://${cfg.HOSTNAME}:${cfg.PORT}`, dev }, "CloudNotes listening");
});
