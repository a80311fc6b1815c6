import "server-only";
import { pool } from "@/lib/db/pool";
import { notFound, validationError } from "@/lib/errors";
import { requestDeletionDrain } from "@/lib/files/deletion-queue";
import { decodeCursor, encodeCursor } from "@/lib/notes/cursor";
import { NEXT_REVISION, REVISION_CTES, SAVED_COLUMNS } from "@/lib/notes/revision-sql";
import { type Revision, type RevisionListQuery, revisionNumberSchema } from "@/lib/notes/revision-schema";
import { NOTE_COLUMNS, type NoteRow, type SavedRow, savedFields, toNote } from "@/lib/notes/rows";
import { isNoteId, LIST_PAGE_MAX_BYTES, type Note } from "@/lib/notes/schema";
import { checkVersion, type ExpectedVersion, getNote } from "@/lib/notes/service";
import { inTransaction } from "@/lib/db/transaction";
import { extractTags } from "@/lib/notes/tags";

/**
 * A note's history: every save keeps a revision (written by the saving statement, lib/notes/revision-sql.ts),
 * listed newest first, read one at a time, and restored as a new revision (history is never rewritten). Only
 * the owner of a live note sees its history: anything else is "Note not found".
 */

const REVISION_COLUMNS = `note_id, number, title, description, file_key, file_name, file_size::float8 AS file_size,
  content_type, created_at`;

/** A row as REVISION_COLUMNS selects it: the note's saved columns, with the note and the revision's number. */
type RevisionRow = SavedRow & { note_id: number; number: number };

function toRevision(r: RevisionRow): Revision {
  return { noteId: r.note_id, number: r.number, ...savedFields(r) };
}

export const revisionNotFound = () => notFound("Revision not found");

export interface RevisionPage {
  revisions: Revision[];
  nextCursor: string | null;
}

/**
 * One page of a note's revisions, newest first. Like a page of notes it also ends once its titles and
 * descriptions reach LIST_PAGE_MAX_BYTES (always one revision at least): the sizes are summed in SQL, so the
 * descriptions past that are never fetched.
 */
export async function listRevisions(userId: string, id: number, query: RevisionListQuery): Promise<RevisionPage> {
  const note = await getNote(userId, id);
  let before: number | null = null;
  if (query.cursor) {
    const position = decodeCursor(query.cursor);
    if (!position) throw validationError([{ path: ["cursor"], message: "Invalid cursor", type: "value_error" }]);
    before = position.id;
  }
  const { rows } = await pool().query<RevisionRow & { fits: boolean }>({
    name: "list_revisions",
    text: `SELECT note_id, number, title, CASE WHEN bytes_before < $5 THEN description ELSE '' END AS description, file_key,
                  file_name, file_size::float8 AS file_size, content_type, created_at, bytes_before < $5 AS fits
             FROM (SELECT r.*, sum(octet_length(title) + octet_length(description)) OVER (ORDER BY number DESC)
                               - (octet_length(title) + octet_length(description)) AS bytes_before
                     FROM (SELECT * FROM note_revisions
                            WHERE note_id = $1 AND owner_id = $2 AND ($3::int IS NULL OR number < $3)
                            ORDER BY number DESC LIMIT $4) AS r) AS page
            ORDER BY number DESC`,
    values: [note.id, userId, before, query.limit + 1, LIST_PAGE_MAX_BYTES],
  });
  const fitting = rows.filter((r) => r.fits).slice(0, query.limit);
  const more = rows.length > fitting.length;
  const last = fitting.at(-1);
  return {
    revisions: fitting.map(toRevision),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at, id: last.number }) : null,
  };
}

export async function getRevision(userId: string, id: number, number: number): Promise<Revision> {
  if (!isNoteId(id)) throw notFound();
  if (!revisionNumberSchema.safeParse(number).success) {
    await getNote(userId, id); // a missing note stays "Note not found"
    throw revisionNotFound();
  }
  // One query tells a missing note (no row) from a missing revision (a row without one).
  const { rows } = await pool().query<{ revision: RevisionRow | null }>({
    name: "get_revision",
    text: `SELECT (SELECT row_to_json(r) FROM (SELECT ${REVISION_COLUMNS} FROM note_revisions
                                              WHERE note_id = n.id AND number = $3) AS r) AS revision
             FROM notes AS n WHERE n.id = $1 AND n.owner_id = $2 AND n.deleted_at IS NULL`,
    values: [id, userId, number],
  });
  if (rows.length === 0) throw notFound();
  const revision = rows[0]!.revision;
  if (!revision) throw revisionNotFound();
  return toRevision({ ...revision, created_at: new Date(revision.created_at) });
}

/**
 * Sets the note to a revision's title, description and file, saved as a new revision. `expected` is the
 * version check of every other edit (If-Match). The revision's file is still stored: a file key is queued for
 * deletion only once no revision names it, and it belongs to this note alone, so it can be the note's again.
 */
export async function restoreRevision(
  userId: string,
  id: number,
  number: number,
  expected?: ExpectedVersion,
): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  const note = await inTransaction(async (client) => {
    const locked = await client.query<{ updated_at: Date }>({
      name: "lock_note_for_restore",
      text: "SELECT updated_at FROM notes WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL FOR UPDATE",
      values: [id, userId],
    });
    if (locked.rows.length === 0) throw notFound();
    checkVersion(locked.rows[0]!.updated_at, expected);
    if (!revisionNumberSchema.safeParse(number).success) throw revisionNotFound();
    const found = await client.query<RevisionRow>({
      name: "get_revision_for_restore",
      text: `SELECT ${REVISION_COLUMNS} FROM note_revisions WHERE note_id = $1 AND number = $2`,
      values: [id, number],
    });
    if (found.rows.length === 0) throw revisionNotFound();
    const r = found.rows[0]!;
    const { rows } = await client.query<NoteRow>({
      name: "restore_revision",
      text: `WITH saved AS (
               UPDATE notes SET title = $2, description = $3, tags = $4, file_key = $5, file_name = $6,
                                file_size = $7::bigint, content_type = $8, ${NEXT_REVISION}
                WHERE id = $1
            RETURNING ${SAVED_COLUMNS}), ${REVISION_CTES}
             SELECT ${NOTE_COLUMNS} FROM saved`,
      values: [
        id,
        r.title,
        r.description,
        extractTags(r.title, r.description),
        r.file_key,
        r.file_name,
        r.file_size,
        r.content_type,
      ],
    });
    return rows[0]!;
  });
  requestDeletionDrain();
  return toNote(note);
}

/** The kept revision before revision `number` of a note (what it changed), or null for the oldest one. */
export async function revisionBefore(userId: string, id: number, number: number): Promise<Revision | null> {
  const { rows } = await pool().query<RevisionRow>({
    name: "revision_before",
    text: `SELECT ${REVISION_COLUMNS} FROM note_revisions
            WHERE note_id = $1 AND owner_id = $2 AND number < $3 ORDER BY number DESC LIMIT 1`,
    values: [id, userId, number],
  });
  return rows[0] ? toRevision(rows[0]) : null;
}
