import "server-only";
import client from "prom-client";
import { pool } from "@/lib/db/pool";
import { pendingDeletions } from "@/lib/files/deletion-queue";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

/** Gauges read at scrape time: the database pool and the S3 deletion backlog. */
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
    return true;
  });
}
