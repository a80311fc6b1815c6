import "server-only";
import { logger } from "@/lib/log";
import { runImport } from "@/lib/transfer/import";

/** Queues an import's job. Until the job queue (lib/jobs) lands, it starts in this process, not awaited. */
export async function queueImport(importId: string): Promise<void> {
  void runImport(importId).catch((error: unknown) => logger.error({ err: error, importId }, "import job crashed"));
}
