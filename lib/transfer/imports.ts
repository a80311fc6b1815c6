import "server-only";
import { randomUUID } from "node:crypto";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { badRequest, conflict, notFound, rateLimited } from "@/lib/errors";
import type { PresignedUpload } from "@/lib/files/contract";
import { presignedForm } from "@/lib/files/uploads";
import { bucket, callS3, isNotFound, s3 } from "@/lib/files/s3";
import {
  IMPORT_CONTENT_TYPE,
  type ImportFormat,
  type ImportRecord,
  type ImportStatus,
  importSchema,
  type ImportUploadRequest,
} from "@/lib/transfer/import-contract";
import { queueImport } from "@/lib/transfer/import-job";
import { inTransaction } from "@/lib/db/transaction";

/**
 * Imports, for the REST API and the settings page alike: the archive goes from the client straight to S3 (a
 * presigned POST of its own, up to IMPORT_MAX_BYTES), then starting the import records it and queues the job
 * (lib/transfer/import.ts) that reads the archive in S3. Every query is scoped to the owner: another user's
 * import is a 404.
 */

const UNKNOWN_KEY = "Unknown or expired key: request a new upload with POST /imports/uploads";
const NOT_FOUND = "Import not found";

export const importKeyPrefix = (userId: string) => `users/${userId}/imports/`;

/** users/<id>/imports/<uuid>.zip: nothing else can be started as an import. */
export function isOwnImportKey(userId: string, key: string): boolean {
  const prefix = importKeyPrefix(userId);
  return key.startsWith(prefix) && /^[0-9a-f-]{36}\.zip$/.test(key.slice(prefix.length));
}

/**
 * A presigned POST for one archive. Its pending row (the uploads table, as for note files) has the sweeper
 * delete an archive that is uploaded but never imported.
 */
export async function presignImportUpload(userId: string, { size }: ImportUploadRequest): Promise<PresignedUpload> {
  const { rows } = await pool().query<{ n: number }>(
    "SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1 AND key LIKE $2",
    [userId, `${importKeyPrefix(userId)}%`],
  );
  if (rows[0]!.n >= 10) throw rateLimited(60);
  const key = `${importKeyPrefix(userId)}${randomUUID()}.zip`;
  const form = await presignedForm(key, size, IMPORT_CONTENT_TYPE);
  await pool().query(
    "INSERT INTO uploads (key, owner_id, file_name, content_type, size) VALUES ($1, $2, 'import.zip', $3, $4)",
    [key, userId, IMPORT_CONTENT_TYPE, size],
  );
  return { ...form, key, maxBytes: config().IMPORT_MAX_BYTES };
}

/** Starts the import of an uploaded archive: one at a time per account (409 while one is queued or running). */
export async function startImport(userId: string, key: string): Promise<ImportRecord> {
  if (!isOwnImportKey(userId, key)) throw badRequest(UNKNOWN_KEY);
  const { rows: pending } = await pool().query<{ size: string }>(
    "SELECT size FROM uploads WHERE key = $1 AND owner_id = $2",
    [key, userId],
  );
  if (!pending[0]) throw badRequest(UNKNOWN_KEY);
  try {
    const head = await callS3(() => s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key })));
    if (Number(head.ContentLength ?? -1) !== Number(pending[0].size)) {
      throw badRequest("The uploaded archive does not have the declared size");
    }
  } catch (error) {
    if (isNotFound(error)) throw badRequest("The archive has not been uploaded yet: POST it to the upload URL first");
    throw error;
  }

  const id = randomUUID();
  await inTransaction(async (conn) => {
    // Serialises starts per account, so that two at once cannot both pass the check below.
    await conn.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [userId]);
    const busy = await conn.query("SELECT 1 FROM imports WHERE owner_id = $1 AND status IN ('queued', 'running')", [
      userId,
    ]);
    if (busy.rowCount) throw conflict("An import is already under way: wait for it to finish");
    const claimed = await conn.query("DELETE FROM uploads WHERE key = $1 AND owner_id = $2", [key, userId]);
    if (claimed.rowCount !== 1) throw badRequest(UNKNOWN_KEY);
    await conn.query("INSERT INTO imports (id, owner_id, key) VALUES ($1, $2, $3)", [id, userId, key]);
  });
  try {
    await queueImport(id);
  } catch (error) {
    // Never left "queued" with no job to run it (it would block the account's next import); the archive goes.
    await pool()
      .query(
        `WITH failed AS (
           UPDATE imports SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1
         )
         INSERT INTO file_deletions (key) VALUES ($3)`,
        [id, "The import could not be queued; upload the archive again and retry.", key],
      )
      .catch(() => {});
    throw error;
  }
  return getImport(userId, id);
}

interface ImportRow {
  id: string;
  status: ImportStatus;
  format: ImportFormat | null;
  total: number;
  done: number;
  bytes_total: string;
  bytes_done: string;
  created_notes: number;
  skipped_notes: number;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id, status, format, total, done, bytes_total, bytes_done, created_notes, skipped_notes, error,
                 created_at, finished_at`;

function toImport(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    status: r.status,
    format: r.format,
    total: r.total,
    done: r.done,
    bytesTotal: Number(r.bytes_total),
    bytesDone: Number(r.bytes_done),
    createdNotes: r.created_notes,
    skippedNotes: r.skipped_notes,
    error: r.error,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export async function getImport(userId: string, id: string): Promise<ImportRecord> {
  if (!importSchema.shape.id.safeParse(id).success) throw notFound(NOT_FOUND);
  const { rows } = await pool().query<ImportRow>(`SELECT ${COLUMNS} FROM imports WHERE id = $1 AND owner_id = $2`, [
    id,
    userId,
  ]);
  if (!rows[0]) throw notFound(NOT_FOUND);
  return toImport(rows[0]);
}

/** The account's latest import, for the settings page. */
export async function latestImport(userId: string): Promise<ImportRecord | null> {
  const { rows } = await pool().query<ImportRow>(
    `SELECT ${COLUMNS} FROM imports WHERE owner_id = $1 ORDER BY created_at DESC LIMIT 1`,
    [userId],
  );
  return rows[0] ? toImport(rows[0]) : null;
}
