import "server-only";
import { z } from "zod";
import { config } from "@/lib/config";
import { drainDeletionQueue, requestDeletionDrain } from "@/lib/files/deletion-queue";
import { recheckExpiredUploads } from "@/lib/files/recheck";
import { sweepAbandonedUploads } from "@/lib/files/sweeper";
import { defineJob } from "@/lib/jobs";
import { logger } from "@/lib/log";
import { foldNoteInbox } from "@/lib/notes/inbox";
import { purgeExpiredTrash } from "@/lib/notes/trash";
import { sweepDueOwners } from "@/lib/notes/word-sweep";

/**
 * The periodic upkeep of files and notes, as jobs on the queue (lib/jobs): each runs on one worker instance at
 * a time, every WORKER_INTERVAL_SECONDS (the upload sweep every UPLOAD_SWEEP_INTERVAL_SECONDS), is retried with
 * back-off when it fails as a whole, and asks for a deletion drain when it queued objects for deletion. Each
 * also settles its rows with SKIP LOCKED, so runs that overlap (a scheduled one and a requested one) are safe.
 */

const common = { data: z.object({}), policy: "coalesce", keepSeconds: 3600 } as const;
/** The jobs that run every WORKER_INTERVAL_SECONDS. */
const everyInterval = {
  ...common,
  everySeconds: () => config().WORKER_INTERVAL_SECONDS,
  retry: { limit: 3, delaySeconds: 5, maxDelaySeconds: 300 },
} as const;

export const recheckJob = defineJob({
  ...everyInterval,
  name: "files.recheck-uploads",
  handler: async () => {
    const counts = await recheckExpiredUploads();
    if ((counts.get("unreferenced") ?? 0) + (counts.get("detached") ?? 0) > 0) requestDeletionDrain();
  },
});

export const purgeTrashJob = defineJob({
  ...everyInterval,
  name: "notes.purge-trash",
  // purgeExpiredTrash requests the drain of the files it queued.
  handler: async () => {
    await purgeExpiredTrash();
  },
});

export const foldInboxJob = defineJob({
  ...everyInterval,
  name: "notes.fold-inbox",
  // Writes fold their own notes a moment later (lib/notes/inbox.ts); this takes what a stopped instance left.
  handler: async () => {
    await foldNoteInbox();
  },
});

export const sweepWordsJob = defineJob({
  ...everyInterval,
  name: "notes.sweep-words",
  // Each run sweeps the owners of its slot of the day (lib/notes/word-sweep.ts): every owner once a day.
  handler: async () => {
    const deleted = await sweepDueOwners(config().WORKER_INTERVAL_SECONDS);
    if (deleted > 0) logger.info({ deleted }, "typo dictionary: words no note has any more deleted");
  },
});

export const sweepJob = defineJob({
  ...common,
  name: "files.sweep-uploads",
  // Lists multipart uploads in S3: once a minute (by default) is plenty even when the rest runs more often.
  everySeconds: () => config().UPLOAD_SWEEP_INTERVAL_SECONDS,
  retry: { limit: 5, delaySeconds: 10, maxDelaySeconds: 900 },
  handler: async () => {
    if ((await sweepAbandonedUploads()) > 0) requestDeletionDrain();
  },
});

/**
 * All of the upkeep once, now, in this process and in the order that lets one pass finish what it starts (a
 * recheck or purge queues deletions, the drain deletes them): for tests and scripts that need it done before
 * they look. A step that fails is logged and the next one runs, as the queue would retry it later.
 */
export async function runMaintenanceNow(): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ["inbox fold", () => foldNoteInbox()],
    ["upload recheck", () => recheckExpiredUploads()],
    ["trash purge", () => purgeExpiredTrash()],
    ["deletion drain", () => drainDeletionQueue()],
    ["upload sweep", () => sweepAbandonedUploads()],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      logger.warn({ err: error }, `${what} failed; will retry`);
    }
  }
}
