import "server-only";
import type pg from "pg";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { notFound } from "@/lib/errors";
import { requestDeletionDrain } from "@/lib/files/deletion-queue";
import { NOTE_COLUMNS, type NoteRow, toNote } from "@/lib/notes/rows";
import type { Note } from "@/lib/notes/schema";
import { NOTE_ID_MAX } from "@/lib/notes/schema";

/**
 * Pin, archive, trash and restore: flags on the note row, scoped to its owner like every query. A note in the
 * trash keeps its file; deleting it for good (emptying the trash, or the worker once it expired) removes the
 * row and queues its object in the same statement, so no object is ever left without a queued deletion.
 */

const isValidId = (id: number) => Number.isInteger(id) && id >= 1 && id <= NOTE_ID_MAX;

async function setFlags(userId: string, id: number, set: string, where: string): Promise<Note> {
  if (!isValidId(id)) throw notFound();
  const { rows } = await pool().query<NoteRow>(
    `UPDATE notes SET ${set} WHERE id = $1 AND owner_id = $2 AND ${where} RETURNING ${NOTE_COLUMNS}`,
    [id, userId],
  );
  if (rows.length === 0) throw notFound();
  return toNote(rows[0]!);
}

// Pinning and archiving are not edits: updated_at (the "recently edited" order) stays.
export const pinNote = (userId: string, id: number, pinned: boolean) =>
  setFlags(userId, id, `pinned = ${pinned}`, "deleted_at IS NULL");

export const archiveNote = (userId: string, id: number, archived: boolean) =>
  setFlags(userId, id, `archived = ${archived}`, "deleted_at IS NULL");

/** Moves a live note to the trash, file and all. */
export const trashNote = (userId: string, id: number) =>
  setFlags(userId, id, "deleted_at = CURRENT_TIMESTAMP", "deleted_at IS NULL");

/** Brings a note back from the trash. */
export const restoreNote = (userId: string, id: number) =>
  setFlags(userId, id, "deleted_at = NULL", "deleted_at IS NOT NULL");

/** Deletes trashed notes for good and queues their files, in one statement. */
async function purge(client: pg.Pool, where: string, values: unknown[]): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `WITH gone AS (DELETE FROM notes WHERE id IN (SELECT id FROM notes WHERE ${where} FOR UPDATE SKIP LOCKED)
                   RETURNING file_key),
          queued AS (INSERT INTO file_deletions (key) SELECT file_key FROM gone WHERE file_key IS NOT NULL)
     SELECT count(*)::int AS n FROM gone`,
    values,
  );
  const n = rows[0]?.n ?? 0;
  if (n > 0) requestDeletionDrain();
  return n;
}

/** Empties the caller's trash; answers how many notes were deleted. */
export function emptyTrash(userId: string): Promise<number> {
  return purge(pool(), "owner_id = $1 AND deleted_at IS NOT NULL", [userId]);
}

/** Deletes one trashed note for good. */
export async function deleteForever(userId: string, id: number): Promise<void> {
  if (!isValidId(id)) throw notFound();
  const n = await purge(pool(), "id = $2 AND owner_id = $1 AND deleted_at IS NOT NULL", [userId, id]);
  if (n === 0) throw notFound();
}

/** The worker's part: deletes notes whose time in the trash is over, a batch at a time (any instance). */
export async function purgeExpiredTrash(client: pg.Pool = pool()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await purge(client, `deleted_at < now() - make_interval(days => $1) ORDER BY deleted_at LIMIT 500`, [
      config().TRASH_RETENTION_DAYS,
    ]);
    total += n;
    if (n < 500) return total;
  }
}
