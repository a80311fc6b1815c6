import "server-only";
import { config, ConfigError } from "@/lib/config";
import { startFileWorker } from "@/lib/files/worker";
import { logger } from "@/lib/log";
import { registerCollectors } from "@/lib/ops/collectors";

/**
 * Runs once per server process inside Next.js (instrumentation.ts's register): validates the configuration,
 * registers the scrape-time gauges and starts the background file worker. Migrations are applied earlier, by
 * the HTTP server before its port opens (server/main.ts). Any failure stops the process with one clear message.
 */
export async function startup(): Promise<void> {
  try {
    config();
    registerCollectors();
    startFileWorker();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `Start-up failed: ${(error as Error).message}`;
    logger.fatal(message);
    console.error(message);
    process.exit(1);
  }
}
