import client from "prom-client";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Prometheus metrics of this process. One registry per process (shared by the HTTP server and every Next.js
 * bundle through processSingleton); gauges that need a query register collectors in their own modules.
 */
function create() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: "cloudnotes" });
  client.collectDefaultMetrics({ register: registry });

  return {
    registry,
    httpRequests: new client.Counter({
      name: "cloudnotes_http_requests_total",
      help: "HTTP requests answered, by method, route template and status code",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "cloudnotes_http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method, route template and status code",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpInFlight: new client.Gauge({
      name: "cloudnotes_http_requests_in_flight",
      help: "HTTP requests being handled",
      registers: [registry],
    }),
    s3Operations: new client.Counter({
      name: "cloudnotes_s3_operations_total",
      help: "S3 calls by operation and outcome (ok or error)",
      labelNames: ["operation", "outcome"] as const,
      registers: [registry],
    }),
    loginFailures: new client.Counter({
      name: "cloudnotes_login_failures_total",
      help: "Sign-in attempts refused for wrong credentials (REST and browser)",
      registers: [registry],
    }),
    rateLimitHits: new client.Counter({
      name: "cloudnotes_rate_limit_hits_total",
      help: "Sign-in attempts refused by the rate limiter",
      registers: [registry],
    }),
    deletionsProcessed: new client.Counter({
      name: "cloudnotes_s3_deletions_total",
      help: "Queued S3 deletions attempted by the worker, by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    uploadRechecks: new client.Counter({
      name: "cloudnotes_upload_rechecks_total",
      help: "Presigned keys re-checked once their form expired, by outcome (detached: the object differed from its note)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    jobRuns: new client.Counter({
      name: "cloudnotes_job_runs_total",
      help: "Background job runs by this instance, by queue (job name) and outcome (completed, or failed: retried with back-off until its limit)",
      labelNames: ["queue", "outcome"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

export function metrics(): Metrics {
  return processSingleton("metrics", create);
}
