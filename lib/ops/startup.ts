import "server-only";
import { config, ConfigError } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { pool } from "@/lib/db/pool";
import { startFileWorker } from "@/lib/files/worker";
import { logger } from "@/lib/log";
import { registerCollectors } from "@/lib/ops/collectors";

/**
 * Runs once per server process before it takes requests (from instrumentation.ts): validates the
 * configuration, applies pending migrations (serialised across instances by an advisory lock) and starts the
 * background file worker. Any failure stops the process with one clear message.
 */
export async function startup(): Promise<void> {
  try {
    const c = config();
    if (c.MIGRATE_ON_START) {
      const result = await migrate(pool());
      if (result.applied.length > 0) logger.info({ applied: result.applied }, "database migrations applied");
    }
    registerCollectors();
    startFileWorker();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `Start-up failed: ${(error as Error).message}`;
    logger.fatal(message);
    console.error(message);
    process.exit(1);
  }
}
