import "server-only";
import { z } from "zod";
import { requestDeletionDrain } from "@/lib/files/deletion-queue";
import { defineJob } from "@/lib/jobs";
import { runImport } from "@/lib/transfer/import";

/**
 * One import as a job on the queue (lib/jobs): any worker instance runs it. An instance that dies mid-import
 * has its run expire and retried elsewhere; runImport then starts that import over (the pending-upload rows of
 * what it had staged let the sweeper delete those objects). An instance works one import at a time (pg-boss's
 * default for a queue), which bounds the memory imports take whatever the number of users importing.
 */
export const importJob = defineJob({
  name: "transfer.import",
  data: z.object({ importId: z.uuid() }),
  // Bounded by IMPORT_MAX_BYTES: a few minutes for the largest archive.
  expireInSeconds: 3600,
  retry: { limit: 2, delaySeconds: 10, maxDelaySeconds: 300 },
  handler: async ({ importId }) => {
    await runImport(importId);
    // A refused import queued its archive and any staged files for deletion.
    requestDeletionDrain();
  },
});

export async function queueImport(importId: string): Promise<void> {
  await importJob.send({ importId });
}
