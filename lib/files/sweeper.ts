import "server-only";
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import type pg from "pg";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { bucket, s3 } from "@/lib/files/s3";

/**
 * Uploads that were never attached to a note: their rows are turned into queued deletions in one statement
 * (so an attach that races the sweep either wins or finds the upload gone), and multipart uploads left open
 * by a crashed instance are aborted. S3 lifecycle rules are the backstop in production (docs/deploy.md).
 */
export async function sweepAbandonedUploads(client: pg.Pool = pool(), now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - config().UPLOAD_TTL_HOURS * 3600_000);
  const { rowCount } = await client.query(
    `WITH gone AS (DELETE FROM uploads WHERE created_at < $1 RETURNING key)
     INSERT INTO file_deletions (key) SELECT key FROM gone`,
    [cutoff],
  );
  await abortStaleMultipartUploads(cutoff);
  return rowCount ?? 0;
}

async function abortStaleMultipartUploads(cutoff: Date): Promise<void> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    let page;
    try {
      page = await s3().send(
        new ListMultipartUploadsCommand({
          Bucket: bucket(),
          Prefix: "users/",
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
    } catch (error) {
      // Some S3-compatible servers (s3rver in development) have no multipart listing; nothing to abort there.
      if ((error as Error).name === "NotImplemented") return;
      throw error;
    }
    for (const u of page.Uploads ?? []) {
      if (u.Key && u.UploadId && u.Initiated && u.Initiated < cutoff) {
        await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: u.Key, UploadId: u.UploadId }));
      }
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
}
