import "server-only";
import { DeleteObjectsCommand } from "@aws-sdk/client-s3";
import type pg from "pg";
import { z } from "zod";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { defineJob, jobsRunning } from "@/lib/jobs";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { bucket, s3 } from "@/lib/files/s3";
import { inTransaction } from "@/lib/db/transaction";

/**
 * S3 objects that no longer belong to anything are deleted through a durable queue in PostgreSQL. The row is
 * written in the same transaction as the change that orphans the object; the worker deletes the object and
 * then the row. If S3 is down the rows stay, with back-off, until it returns: no orphan, no lost note.
 * The back-off is per row (attempts, next_attempt_at), not the job queue's: one key S3 refuses must not hold
 * back the others, and a row keeps its history across runs. The drain job itself fails (and is retried by the
 * queue) only when it cannot run at all, e.g. the database is down.
 */

export async function enqueueDeletion(
  tx: Prisma.TransactionClient,
  keys: (string | null | undefined)[],
): Promise<void> {
  const data = keys.filter((k): k is string => !!k).map((key) => ({ key }));
  if (data.length > 0) await tx.fileDeletion.createMany({ data });
}

const BATCH = 500; // DeleteObjects takes up to 1000 keys
const MAX_BACKOFF_SECONDS = 3600;

export interface DrainResult {
  deleted: number;
  failed: number;
}

/**
 * Deletes one batch of due objects. Rows are locked with SKIP LOCKED, so any number of instances can drain
 * the queue at once without doing the same work twice.
 */
export async function drainDeletionBatch(client: pg.Pool = pool()): Promise<DrainResult> {
  const outcome = await inTransaction(async (conn) => {
    let { rows } = await conn.query<{ id: string; key: string; attempts: number }>(
      `SELECT id, key, attempts FROM file_deletions
        WHERE next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED`,
    );
    if (rows.length === 0) return null;

    // The last safeguard of the history (lib/notes/revisions.ts): a key that a note or a kept revision still
    // names is not deleted, whatever queued it; its row goes (whoever removes that reference queues it again).
    const referenced = await conn.query<{ key: string }>(
      `SELECT key FROM unnest($1::text[]) AS k(key)
        WHERE EXISTS (SELECT 1 FROM notes WHERE file_key = k.key)
           OR EXISTS (SELECT 1 FROM note_revisions WHERE file_key = k.key)`,
      [rows.map((r) => r.key)],
    );
    if (referenced.rows.length > 0) {
      const kept = new Set(referenced.rows.map((r) => r.key));
      logger.warn({ keys: kept.size }, "queued S3 deletions of files still in use skipped");
      await conn.query("DELETE FROM file_deletions WHERE id = ANY($1::bigint[])", [
        rows.filter((r) => kept.has(r.key)).map((r) => r.id),
      ]);
      rows = rows.filter((r) => !kept.has(r.key));
    }

    const failedKeys = new Map<string, string>();
    try {
      if (rows.length > 0) {
        const result = await s3().send(
          new DeleteObjectsCommand({
            Bucket: bucket(),
            Delete: { Objects: [...new Set(rows.map((r) => r.key))].map((Key) => ({ Key })), Quiet: true },
          }),
        );
        for (const e of result.Errors ?? []) {
          // Deleting what is already gone is success in S3; anything reported here is a real failure.
          if (e.Key && e.Code !== "NoSuchKey") failedKeys.set(e.Key, `${e.Code}: ${e.Message}`);
        }
      }
    } catch (error) {
      for (const r of rows) failedKeys.set(r.key, String((error as Error).message ?? error));
    }

    const done = rows.filter((r) => !failedKeys.has(r.key));
    const failed = rows.filter((r) => failedKeys.has(r.key));
    if (done.length > 0) {
      await conn.query("DELETE FROM file_deletions WHERE id = ANY($1::bigint[])", [done.map((r) => r.id)]);
    }
    for (const r of failed) {
      const backoff = Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(r.attempts, 12));
      await conn.query(
        `UPDATE file_deletions
            SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
          WHERE id = $1`,
        [r.id, failedKeys.get(r.key)!.slice(0, 1000), backoff],
      );
    }
    return { deleted: done.length, failed: failed.length, error: failedKeys.values().next().value };
  }, client);
  if (!outcome) return { deleted: 0, failed: 0 };
  const { deleted, failed, error } = outcome;
  metrics().deletionsProcessed.inc({ outcome: "ok" }, deleted);
  metrics().deletionsProcessed.inc({ outcome: "error" }, failed);
  if (failed > 0) logger.warn({ failed, error }, "S3 deletions failed; will retry");
  return { deleted, failed };
}

/** Drains every due batch (stops at the first batch that makes no progress). */
export async function drainDeletionQueue(client: pg.Pool = pool()): Promise<DrainResult> {
  const total = { deleted: 0, failed: 0 };
  for (;;) {
    const r = await drainDeletionBatch(client);
    total.deleted += r.deleted;
    total.failed += r.failed;
    if (r.deleted === 0 || r.deleted + r.failed < BATCH) return total;
  }
}

export async function pendingDeletions(client: pg.Pool = pool()): Promise<number> {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM file_deletions");
  return rows[0]?.n ?? 0;
}

/** Drains the queue on a worker every WORKER_INTERVAL_SECONDS, and soon after a change queued deletions. */
export const drainJob = defineJob({
  name: "files.drain-deletions",
  data: z.object({}),
  policy: "coalesce",
  everySeconds: () => config().WORKER_INTERVAL_SECONDS,
  keepSeconds: 3600,
  retry: { limit: 3, delaySeconds: 5, maxDelaySeconds: 300 },
  handler: async () => {
    await drainDeletionQueue();
  },
});

/**
 * Asks for a drain after a change queued deletions (one waiting run at most: later requests fold into it). Not
 * awaited by callers: the change is committed and its rows are safe, so a failure here only delays the deletion
 * to the next scheduled run. A process without a running queue (a script, a test) leaves it to the schedule.
 */
export function requestDeletionDrain(): void {
  if (!jobsRunning()) return;
  drainJob
    .send({}, { key: "request" })
    .catch((error) => logger.warn({ err: error }, "could not queue an S3 deletion drain; the schedule will run it"));
}
