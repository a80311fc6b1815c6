import "server-only";
import client from "prom-client";
import { pool } from "@/lib/db/pool";
import { pendingDeletions } from "@/lib/files/deletion-queue";
import { queueDepth } from "@/lib/jobs";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

/** Gauges read at scrape time: the database pool, the S3 deletion backlog and the job queue. */
export function registerCollectors(): void {
  processSingleton("collectors", () => {
    const { registry } = metrics();
    new client.Gauge({
      name: "cloudnotes_db_pool_connections",
      help: "Connections of the PostgreSQL pool by state",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        const p = pool();
        this.set({ state: "total" }, p.totalCount);
        this.set({ state: "idle" }, p.idleCount);
        this.set({ state: "waiting" }, p.waitingCount);
      },
    });
    new client.Gauge({
      name: "cloudnotes_s3_deletions_pending",
      help: "S3 objects queued for deletion (orphans waiting for the worker)",
      registers: [registry],
      async collect() {
        try {
          this.set(await pendingDeletions());
        } catch {
          // database down: leave the last value; readiness and request metrics tell the story
        }
      },
    });
    new client.Gauge({
      name: "cloudnotes_jobs",
      help: "Background jobs by queue (job name) and state: created (waiting), retry (waiting after a failure), active, failed (for good)",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        try {
          const depth = await queueDepth(pool());
          this.reset();
          for (const [queue, states] of depth) {
            for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
          }
        } catch {
          // database down, or no queue yet: leave the last values
        }
      },
    });
    return true;
  });
}
