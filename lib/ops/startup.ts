import "server-only";
import { config, ConfigError } from "@/lib/config";
import { startJobs } from "@/lib/jobs";
import "@/lib/jobs/registry";
import { logger } from "@/lib/log";
import { registerCollectors } from "@/lib/ops/collectors";

/**
 * Runs once per server process inside Next.js (instrumentation.ts's register): validates the configuration,
 * registers the scrape-time gauges and starts the job queue (lib/jobs: a worker too unless WORKER_ENABLED is
 * false). Migrations are applied earlier, by the HTTP server before its port opens (server/main.ts). Any failure
 * stops the process with one clear message.
 */
export async function startup(): Promise<void> {
  try {
    config();
    registerCollectors();
    await startJobs();
  } catch (error) {
    // JobsStartError's message is one line too (lib/jobs/boss.ts): no driver stack trace for an operator.
    const message = error instanceof ConfigError ? error.message : `Start-up failed: ${(error as Error).message}`;
    logger.fatal(message);
    console.error(message);
    process.exit(1);
  }
}
