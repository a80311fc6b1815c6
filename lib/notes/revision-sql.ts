import { KEEP_REVISIONS } from "@/lib/notes/retention";

/**
 * The SQL that keeps a note's history in the statement that saves the note, so a save and its revision commit
 * together in one round trip. A save is written as `WITH saved AS (UPDATE|INSERT ... RETURNING
 * ${SAVED_COLUMNS}), ${revisionCtes} SELECT ... FROM saved`: the UPDATE bumps notes.revision, which numbers the
 * revision without a read (and, under the row lock, without two saves taking one number).
 */

/** What the `saved` CTE returns: the note's new row. */
export const SAVED_COLUMNS = `id, owner_id, revision, title, description, file_key, file_name, file_size, content_type,
  created_at, updated_at, tags, pinned, archived, deleted_at`;

const day = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;

/** Records the saved state as revision `revision`: all a new note needs (revision 1 pushes nothing out). */
export const RECORD_REVISION = `
  recorded AS (
    INSERT INTO note_revisions (note_id, owner_id, number, title, description, file_key, file_name, file_size,
                                content_type, created_at)
    SELECT id, owner_id, revision, title, description, file_key, file_name, file_size, content_type, updated_at
      FROM saved)`;

/**
 * RECORD_REVISION, and settles the one revision that this save pushes out of the newest KEEP_REVISIONS
 * (lib/notes/retention.ts): it is deleted unless it was the last of its day. A file key that only the deleted
 * revision named is queued for deletion; any other revision or the note naming it keeps it.
 * (Every sub-statement sees the data as it was before the statement: the revision being written is `saved`.)
 */
export const REVISION_CTES = `${RECORD_REVISION},
  pruned AS (
    DELETE FROM note_revisions AS stale USING saved
     WHERE stale.note_id = saved.id AND stale.number = saved.revision - ${KEEP_REVISIONS}
       AND EXISTS (SELECT 1 FROM note_revisions AS nxt
                    WHERE nxt.note_id = saved.id AND nxt.number = saved.revision - ${KEEP_REVISIONS - 1}
                      AND ${day("nxt.created_at")} = ${day("stale.created_at")})
 RETURNING stale.id, stale.note_id, stale.file_key),
  released AS (
    INSERT INTO file_deletions (key)
    SELECT p.file_key FROM pruned AS p JOIN saved ON saved.id = p.note_id
     WHERE p.file_key IS NOT NULL AND p.file_key IS DISTINCT FROM saved.file_key
       AND NOT EXISTS (SELECT 1 FROM note_revisions AS o WHERE o.file_key = p.file_key AND o.id <> p.id))`;

/** The note's "bump" on every save: the next revision number and a later updated_at. */
export const NEXT_REVISION = `revision = revision + 1,
  updated_at = GREATEST(CURRENT_TIMESTAMP, updated_at + interval '1 millisecond')`;
