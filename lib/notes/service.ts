import "server-only";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { badRequest, notFound, validationError } from "@/lib/errors";
import { enqueueDeletion } from "@/lib/files/deletion-queue";
import { claimUpload, inspectUpload, type StoredFile } from "@/lib/files/uploads";
import { kickFileWorker } from "@/lib/files/worker";
import { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/notes/cursor";
import { NOTE_COLUMNS, type NoteRow, toNote } from "@/lib/notes/rows";
import { isNoteId, LIST_PAGE_MAX_BYTES, type ListQuery, type Note, type NoteText } from "@/lib/notes/schema";
import { websearchText } from "@/lib/notes/search";

/**
 * Every rule about notes, for the REST API and the browser alike. Every query is scoped to the owner: a note
 * of another user is indistinguishable from a missing one (404).
 */

/** The domain's note (the contract's type), under the name callers of this service know. */
export type NoteRecord = Note;

export interface NotePage {
  notes: Note[];
  nextCursor: string | null;
}

/**
 * The caller's notes, newest first, one page at a time: at most `query.limit` notes and, past the first, at
 * most `maxBytes` of titles and descriptions (a page then ends early, and its cursor continues it).
 * Hand-written SQL because it is the hottest query and needs the full-text match and the row-value keyset
 * comparison that the index serves directly.
 */
export async function listNotes(
  userId: string,
  query: ListQuery,
  { maxBytes = LIST_PAGE_MAX_BYTES }: { maxBytes?: number } = {},
): Promise<NotePage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !after) {
    throw validationError([{ path: ["cursor"], message: "Invalid cursor", type: "value_error" }]);
  }
  const params: unknown[] = [userId, query.limit + 1, maxBytes];
  const where = ["owner_id = $1"];
  if (after) {
    params.push(after.createdAt, after.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  if (query.q) {
    params.push(websearchText(query.q));
    where.push(`search_vector @@ websearch_to_tsquery('english', $${params.length})`);
  }
  const { rows } = await pool().query<NoteRow & { fits: boolean }>({
    // The listings are named (prepared once per connection, planned once). A search is not: its best plan
    // depends on how common the words are, for this user (a rare word: the GIN index; a common one: walk the
    // owner's newest notes and filter), and a named statement soon switches to one generic plan for all
    // words, which at 100,000 notes was 5-100 times slower for one kind or the other (bench/RESULTS.md).
    name: query.q ? undefined : `list_notes_${after ? "c" : ""}`,
    // The byte budget is a running sum over the newest `limit + 1` rows: octet_length reads a stored value's
    // size without fetching it, so no text past the budget is read. The first row past it comes back without
    // its text, only to tell that there is more (it is row 2, or the rows before it fit).
    text: `SELECT id, CASE WHEN fits THEN title END AS title, CASE WHEN fits THEN description END AS description,
                  file_key, file_name, file_size, content_type, created_at, updated_at, fits
             FROM (SELECT newest.*, n = 1 OR running <= $3 AS fits, n <= 2 OR running - bytes <= $3 AS shown
                     FROM (SELECT newest.*, row_number() OVER w AS n, sum(bytes) OVER w AS running
                             FROM (SELECT ${NOTE_COLUMNS}, octet_length(title) + octet_length(description) AS bytes
                                     FROM notes
                                    WHERE ${where.join(" AND ")}
                                    ORDER BY created_at DESC, id DESC
                                    LIMIT $2) AS newest
                           WINDOW w AS (ORDER BY created_at DESC, id DESC ROWS UNBOUNDED PRECEDING)) AS newest) AS page
            WHERE shown
            ORDER BY created_at DESC, id DESC`,
    values: params,
  });
  const notes = rows
    .filter((r) => r.fits)
    .slice(0, query.limit)
    .map(toNote);
  const last = notes.at(-1);
  return { notes, nextCursor: rows.length > notes.length && last ? encodeCursor(last) : null };
}

export async function getNote(userId: string, id: number): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  const { rows } = await pool().query<NoteRow>({
    name: "get_note",
    text: `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1 AND owner_id = $2`,
    values: [id, userId],
  });
  if (rows.length === 0) throw notFound();
  return toNote(rows[0]!);
}

/** Resolves a file_key sent by a client into a verified stored file (ownership, existence, size, type). */
export function resolveFileKey(userId: string, fileKey: string | null | undefined): Promise<StoredFile | undefined> {
  return fileKey ? inspectUpload(userId, fileKey) : Promise.resolve(undefined);
}

export async function createNote(userId: string, input: NoteText, file?: StoredFile): Promise<Note> {
  if (!file) {
    // The common case (the REST API's JSON body, the browser form without a file) is one statement: hot
    // enough to skip the ORM and its interactive transaction (BEGIN, INSERT, COMMIT: three round trips).
    const { rows } = await pool().query<NoteRow>({
      name: "create_note",
      text: `INSERT INTO notes (owner_id, title, description, updated_at) VALUES ($1, $2, $3, CURRENT_TIMESTAMP)
             RETURNING ${NOTE_COLUMNS}`,
      values: [userId, input.title, input.description],
    });
    return toNote(rows[0]!);
  }
  const note = await db().$transaction(async (tx) => {
    await claimUpload(tx, userId, file.key);
    const rows = await tx.$queryRaw<NoteRow[]>`
      INSERT INTO notes (owner_id, title, description, file_key, file_name, file_size, content_type, updated_at)
      VALUES (${userId}, ${input.title}, ${input.description}, ${file.key}, ${file.fileName}, ${file.size},
              ${file.contentType}, CURRENT_TIMESTAMP)
      RETURNING ${Prisma.raw(NOTE_COLUMNS)}`;
    return rows[0]!;
  });
  return toNote(note);
}

export async function updateTitle(userId: string, id: number, title: string): Promise<Note> {
  return updateFields(userId, id, { title });
}

export async function updateDescription(userId: string, id: number, description: string): Promise<Note> {
  return updateFields(userId, id, { description });
}

/** Title and description together (the browser's edit form). */
export async function updateText(userId: string, id: number, data: NoteText): Promise<Note> {
  return updateFields(userId, id, data);
}

async function updateFields(userId: string, id: number, data: { title?: string; description?: string }): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  // One statement on the pool (PUT /notes/{id}/title is a hot path); a field left undefined keeps its value.
  const { rows } = await pool().query<NoteRow>({
    name: "update_note_text",
    text: `UPDATE notes SET title = COALESCE($3, title), description = COALESCE($4, description),
                            updated_at = CURRENT_TIMESTAMP
            WHERE id = $1 AND owner_id = $2
        RETURNING ${NOTE_COLUMNS}`,
    values: [id, userId, data.title ?? null, data.description ?? null],
  });
  if (rows.length === 0) throw notFound();
  return toNote(rows[0]!);
}

/**
 * Replaces (or sets) the file of a note. The note row is locked so that two concurrent replacements cannot
 * both read the same old key and leave one new object orphaned; the old object is queued for deletion in the
 * same transaction.
 */
export function setNoteFile(userId: string, id: number, file: StoredFile): Promise<Note> {
  return replaceNoteFile(userId, id, file);
}

export function removeNoteFile(userId: string, id: number): Promise<Note> {
  return replaceNoteFile(userId, id, null);
}

async function replaceNoteFile(userId: string, id: number, file: StoredFile | null): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  const note = await db().$transaction(async (tx) => {
    const oldKey = await lockNoteFileKey(tx, userId, id);
    if (file) await claimUpload(tx, userId, file.key);
    else if (!oldKey) throw badRequest("This note has no file");
    await enqueueDeletion(tx, [oldKey]);
    return setFileColumns(tx, id, file);
  });
  void kickFileWorker();
  return toNote(note);
}

export async function deleteNote(userId: string, id: number): Promise<void> {
  if (!isNoteId(id)) throw notFound();
  await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ file_key: string | null }[]>`
      DELETE FROM notes WHERE id = ${id} AND owner_id = ${userId} RETURNING file_key`;
    if (rows.length === 0) throw notFound();
    await enqueueDeletion(tx, [rows[0]!.file_key]);
  });
  void kickFileWorker();
}

/**
 * Gives up a file that was stored for a request that then failed (validation, missing note): its pending row
 * becomes a queued deletion at once instead of waiting for the sweep.
 */
export async function discardStoredFile(userId: string, file: StoredFile): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.upload.deleteMany({ where: { key: file.key, ownerId: userId } });
    if (count === 1) await enqueueDeletion(tx, [file.key]);
  });
  void kickFileWorker();
}

async function lockNoteFileKey(tx: Prisma.TransactionClient, userId: string, id: number): Promise<string | null> {
  const rows = await tx.$queryRaw<{ file_key: string | null }[]>`
    SELECT file_key FROM notes WHERE id = ${id} AND owner_id = ${userId} FOR UPDATE`;
  if (rows.length === 0) throw notFound();
  return rows[0]!.file_key;
}

/** Points a (locked) note at a file, or at none. */
async function setFileColumns(tx: Prisma.TransactionClient, id: number, file: StoredFile | null): Promise<NoteRow> {
  const rows = await tx.$queryRaw<NoteRow[]>`
    UPDATE notes SET file_key = ${file?.key ?? null}, file_name = ${file?.fileName ?? null},
                     file_size = ${file?.size ?? null}::bigint, content_type = ${file?.contentType ?? null},
                     updated_at = CURRENT_TIMESTAMP
     WHERE id = ${id}
 RETURNING ${Prisma.raw(NOTE_COLUMNS)}`;
  return rows[0]!;
}
