import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Logger } from "pino";
import type { Metrics } from "@/lib/metrics";
import type { RequestContext } from "@/lib/request-context";

/**
 * One JSON log line and the request metrics per HTTP request, written when the response is done: request id
 * (X-Request-Id, propagated when well-formed or made), method, path, route template, status, latency, user id
 * and client address. Written directly with pino (no per-request child logger): this runs on every request.
 */

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: http.IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export interface Observer {
  /** Starts watching a request; its line and metrics follow when the response closes. */
  observe(req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext): void;
}

export function observer(logger: Logger, metrics: Metrics, routeOf: (req: http.IncomingMessage) => string): Observer {
  return {
    observe(req, res, ctx) {
      const started = process.hrtime.bigint();
      metrics.httpInFlight.inc();
      res.once("close", function observed() {
        metrics.httpInFlight.dec();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const method = req.method ?? "GET";
        const status = res.statusCode;
        const route = ctx.route ?? routeOf(req);
        const labels = { method, route, status: String(status) };
        metrics.httpRequests.inc(labels);
        metrics.httpDuration.observe(labels, seconds);

        const url = req.url ?? "/";
        if (url.startsWith("/_next/static/")) return; // build assets: counted, not logged
        const aborted = !res.writableFinished;
        const level = status >= 500 ? "error" : status >= 400 || aborted ? "warn" : "info";
        // The path only: query strings may carry search text. Named explicitly rather than by the logger's
        // mixin: a streamed response can finish outside the request's async context.
        const q = url.indexOf("?");
        logger[level](
          {
            reqId: ctx.requestId,
            ...(ctx.userId ? { userId: ctx.userId } : {}),
            route,
            ip: ctx.clientIp,
            req: { method, path: q === -1 ? url : url.slice(0, q) },
            res: { status },
            responseTime: Math.round(seconds * 1e4) / 10,
            ...(aborted ? { aborted: true } : {}),
          },
          aborted ? `${method} ${status} (aborted)` : `${method} ${status}`,
        );
      });
    },
  };
}
