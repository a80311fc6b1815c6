import "server-only";
import { config } from "@/lib/config";
import { drainDeletionQueue } from "@/lib/files/deletion-queue";
import { recheckExpiredUploads } from "@/lib/files/recheck";
import { sweepAbandonedUploads } from "@/lib/files/sweeper";
import { logger } from "@/lib/log";
import { purgeExpiredTrash } from "@/lib/notes/trash";
import { onShutdown } from "@/lib/ops/lifecycle";
import { processSingleton } from "@/lib/process-singleton";

/**
 * The in-process background worker of each instance: re-checks the keys of expired upload forms, deletes
 * notes whose time in the trash is over, drains the S3 deletion queue and sweeps abandoned uploads every WORKER_INTERVAL_SECONDS. Many instances may run it; the queue is locked row by row.
 */
interface WorkerState {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  again: boolean;
  lastSweep: number;
}

const state = () => processSingleton<WorkerState>("fileWorker", () => ({ again: false, lastSweep: 0 }));

async function runOnce(): Promise<void> {
  const s = state();
  try {
    // Before draining: an object a recheck queues is deleted in the same run.
    await recheckExpiredUploads();
  } catch (error) {
    logger.warn({ err: error }, "upload recheck failed; will retry");
  }
  try {
    // Before draining too: the files of notes whose time in the trash is over are queued, then deleted.
    await purgeExpiredTrash();
  } catch (error) {
    logger.warn({ err: error }, "trash purge failed; will retry");
  }
  try {
    await drainDeletionQueue();
    // Sweeping lists multipart uploads in S3: once a minute (by default) is plenty even when the queue runs
    // more often.
    if (Date.now() - s.lastSweep >= config().UPLOAD_SWEEP_INTERVAL_SECONDS * 1000) {
      s.lastSweep = Date.now();
      await sweepAbandonedUploads();
    }
  } catch (error) {
    logger.warn({ err: error }, "file worker run failed; will retry");
  }
}

/** Runs the worker now (coalesced: one run at a time, one more queued at most). */
export function kickFileWorker(): Promise<void> {
  const s = state();
  if (s.running) {
    s.again = true;
    return s.running;
  }
  s.running = (async () => {
    do {
      s.again = false;
      await runOnce();
    } while (s.again);
  })().finally(() => {
    s.running = undefined;
  });
  return s.running;
}

export function startFileWorker(): void {
  const s = state();
  if (s.timer || !config().WORKER_ENABLED) return;
  s.timer = setInterval(() => void kickFileWorker(), config().WORKER_INTERVAL_SECONDS * 1000);
  s.timer.unref();
  onShutdown(stopFileWorker);
  void kickFileWorker();
}

export async function stopFileWorker(): Promise<void> {
  const s = state();
  if (s.timer) clearInterval(s.timer);
  s.timer = undefined;
  await s.running;
}
