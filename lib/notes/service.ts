import "server-only";
import type { QueryConfig } from "pg";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { badRequest, notFound, staleVersion } from "@/lib/errors";
import { enqueueDeletion, requestDeletionDrain } from "@/lib/files/deletion-queue";
import { claimUpload, inspectUpload, type StoredFile } from "@/lib/files/uploads";
import { Prisma } from "@/lib/generated/prisma/client";
import { NEXT_REVISION, RECORD_REVISION, REVISION_CTES, SAVED_COLUMNS } from "@/lib/notes/revision-sql";
import { NOTE_COLUMNS, type NoteRow, toNote } from "@/lib/notes/rows";
import { isNoteId, type Note, type NoteText } from "@/lib/notes/schema";
import { requestInboxFold } from "@/lib/notes/inbox";
import { extractTags } from "@/lib/notes/tags";

/**
 * Every rule about notes, for the REST API and the browser alike. Every query is scoped to the owner: a note
 * of another user is indistinguishable from a missing one (404).
 */

/** The domain's note (the contract's type), under the name callers of this service know. */
export type NoteRecord = Note;

/**
 * The versions (updated_at) a change was based on: the change applies only if the note is still at one of
 * them (a stale one fails with "precondition_failed"); undefined applies it unconditionally.
 */
export type ExpectedVersion = readonly Date[] | undefined;

export { listNotes, type NotePage } from "@/lib/notes/list";

export async function getNote(userId: string, id: number): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  const { rows } = await pool().query<NoteRow>({
    name: "get_note",
    text: `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`,
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
    // Revision 1 is written by the same statement.
    const { rows } = await pool().query<NoteRow>(createNoteStatement(userId, input));
    requestInboxFold();
    return toNote(rows[0]!);
  }
  const note = await db().$transaction(async (tx) => {
    await claimUpload(tx, userId, file.key);
    const rows = await tx.$queryRaw<NoteRow[]>`
      WITH saved AS (
        INSERT INTO notes (owner_id, title, description, tags, file_key, file_name, file_size, content_type,
                           updated_at)
        VALUES (${userId}, ${input.title}, ${input.description}, ${extractTags(input.title, input.description)},
                ${file.key}, ${file.fileName}, ${file.size}, ${file.contentType}, CURRENT_TIMESTAMP)
        RETURNING ${Prisma.raw(SAVED_COLUMNS)}), ${Prisma.raw(RECORD_REVISION)}
      SELECT ${Prisma.raw(NOTE_COLUMNS)} FROM saved`;
    return rows[0]!;
  });
  requestInboxFold();
  return toNote(note);
}

/** The statement of createNote without a file (exported for the bench's references: bench/reference/statements.ts). */
export function createNoteStatement(userId: string, input: NoteText): QueryConfig {
  return {
    name: "create_note",
    text: `WITH saved AS (INSERT INTO notes (owner_id, title, description, tags, updated_at)
                          VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)
                          RETURNING ${SAVED_COLUMNS}), ${RECORD_REVISION}
           SELECT ${NOTE_COLUMNS} FROM saved`,
    values: [userId, input.title, input.description, extractTags(input.title, input.description)],
  };
}

export async function updateTitle(
  userId: string,
  id: number,
  title: string,
  expected?: ExpectedVersion,
): Promise<Note> {
  return updateFields(userId, id, { title }, expected);
}

export async function updateDescription(
  userId: string,
  id: number,
  description: string,
  expected?: ExpectedVersion,
): Promise<Note> {
  return updateFields(userId, id, { description }, expected);
}

/** Title and description together (the browser's edit form, which always sends the version it edited). */
export async function updateText(
  userId: string,
  id: number,
  data: NoteText,
  expected?: ExpectedVersion,
): Promise<Note> {
  return updateFields(userId, id, data, expected);
}

async function updateFields(
  userId: string,
  id: number,
  data: { title?: string; description?: string },
  expected: ExpectedVersion,
): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  // Both texts known (the browser's form): their tags too, in one statement.
  const both = data.title !== undefined && data.description !== undefined;
  const tagsOfBoth = both ? extractTags(data.title!, data.description!) : null;
  const written = await pool().query<NoteRow>(writeTextStatement(userId, id, data, tagsOfBoth, expected));
  if (!written.rows[0]) {
    if (expected) await getNote(userId, id); // a missing note stays a 404, an existing one is stale
    throw expected ? staleVersion() : notFound();
  }
  const saved = toNote(written.rows[0]);
  if (both) return saved;
  // One text (PUT /notes/{id}/title or /description), written with the other as stored (the row lock orders
  // it among concurrent saves). The tags depend on both: when they changed, a second statement sets them, on
  // this version only; a save that came in between set its own from texts that already hold this one.
  const tags = extractTags(saved.title, saved.description);
  if (tags.length === saved.tags.length && tags.every((t, i) => t === saved.tags[i])) return saved;
  const { rows } = await pool().query<NoteRow>({
    name: "retag_note",
    text: `UPDATE notes SET tags = $3 WHERE id = $1 AND owner_id = $2 AND updated_at = $4 RETURNING ${NOTE_COLUMNS}`,
    values: [id, userId, tags, saved.updatedAt],
  });
  return rows[0] ? toNote(rows[0]) : { ...saved, tags };
}

/**
 * Writes the given texts (the other one stays as stored) and, when given, the tags, as a new revision if the
 * note is one of the `versions` (any, when none are given); no row when it is not, or is missing. The version
 * check sits in the WHERE, so no concurrent write slips between check and update; updated_at always moves
 * forward, so two saves within one millisecond still make two versions. (Exported for the bench's references:
 * bench/reference/statements.ts.)
 */
export function writeTextStatement(
  userId: string,
  id: number,
  data: { title?: string; description?: string },
  tags: string[] | null,
  versions: ExpectedVersion,
): QueryConfig {
  return {
    name: "update_note_text",
    text: `WITH saved AS (
             UPDATE notes SET title = coalesce($3, title), description = coalesce($4, description),
                              tags = coalesce($5, tags), ${NEXT_REVISION}
              WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL
                AND ($6::timestamptz[] IS NULL OR updated_at = ANY($6::timestamptz[]))
          RETURNING ${SAVED_COLUMNS}), ${REVISION_CTES}
           SELECT ${NOTE_COLUMNS} FROM saved`,
    values: [id, userId, data.title ?? null, data.description ?? null, tags, versions ? [...versions] : null],
  };
}

export function checkVersion(current: Date, expected: ExpectedVersion): void {
  if (expected && !expected.some((v) => v.getTime() === current.getTime())) throw staleVersion();
}

/**
 * Replaces (or sets) the file of a note. The old object stays: the note's previous revision still names it
 * (restorable from the history), and it is queued for deletion once the last revision naming it is pruned.
 */
export function setNoteFile(userId: string, id: number, file: StoredFile, expected?: ExpectedVersion): Promise<Note> {
  return replaceNoteFile(userId, id, file, expected);
}

export function removeNoteFile(userId: string, id: number, expected?: ExpectedVersion): Promise<Note> {
  return replaceNoteFile(userId, id, null, expected);
}

async function replaceNoteFile(
  userId: string,
  id: number,
  file: StoredFile | null,
  expected: ExpectedVersion,
): Promise<Note> {
  if (!isNoteId(id)) throw notFound();
  const note = await db().$transaction(async (tx) => {
    const oldKey = await lockNoteFileKey(tx, userId, id, expected);
    if (file) await claimUpload(tx, userId, file.key);
    else if (!oldKey) throw badRequest("This note has no file");
    const saved = await setFileColumns(tx, id, file);
    // Normally the previous revision names the old file; a note written without revisions (seeded by SQL) had
    // none, so its old file is queued rather than left behind.
    if (oldKey && oldKey !== file?.key) {
      await tx.$executeRaw`INSERT INTO file_deletions (key) SELECT ${oldKey}
                            WHERE NOT EXISTS (SELECT 1 FROM note_revisions WHERE file_key = ${oldKey})`;
    }
    return saved;
  });
  requestDeletionDrain();
  return toNote(note);
}

/**
 * DELETE /notes/{id} of the original API (and the note card's Delete): the note moves to the trash
 * (restorable until TRASH_RETENTION_DAYS pass) but its file is deleted now, as that endpoint always promised
 * its clients ("Delete a note and its file"). Moving to the trash with the file kept is lib/notes/trash.ts.
 */
export async function deleteNote(userId: string, id: number, expected?: ExpectedVersion): Promise<void> {
  if (!isNoteId(id)) throw notFound();
  await db().$transaction(async (tx) => {
    if (expected) await lockNoteFileKey(tx, userId, id, expected);
    const rows = await tx.$queryRaw<{ file_key: string | null }[]>`
      UPDATE notes AS n SET deleted_at = CURRENT_TIMESTAMP,
                            file_key = NULL, file_name = NULL, file_size = NULL, content_type = NULL
        FROM (SELECT id, file_key FROM notes WHERE id = ${id} AND owner_id = ${userId} AND deleted_at IS NULL
                 FOR UPDATE) AS old
       WHERE n.id = old.id
   RETURNING old.file_key`;
    if (rows.length === 0) throw notFound();
    const key = rows[0]!.file_key;
    // The file is deleted as promised, so the revisions that name it no longer offer it.
    if (key) {
      await tx.$executeRaw`UPDATE note_revisions SET file_key = NULL, file_name = NULL, file_size = NULL,
                                                     content_type = NULL
                            WHERE note_id = ${id} AND file_key = ${key}`;
    }
    await enqueueDeletion(tx, [key]);
  });
  requestDeletionDrain();
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
  requestDeletionDrain();
}

async function lockNoteFileKey(
  tx: Prisma.TransactionClient,
  userId: string,
  id: number,
  expected?: ExpectedVersion,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ file_key: string | null; updated_at: Date }[]>`
    SELECT file_key, updated_at FROM notes WHERE id = ${id} AND owner_id = ${userId} AND deleted_at IS NULL
     FOR UPDATE`;
  if (rows.length === 0) throw notFound();
  checkVersion(rows[0]!.updated_at, expected);
  return rows[0]!.file_key;
}

/** Points a (locked) note at a file, or at none, as a new revision. */
async function setFileColumns(tx: Prisma.TransactionClient, id: number, file: StoredFile | null): Promise<NoteRow> {
  const rows = await tx.$queryRaw<NoteRow[]>`
    WITH saved AS (
      UPDATE notes SET file_key = ${file?.key ?? null}, file_name = ${file?.fileName ?? null},
                       file_size = ${file?.size ?? null}::bigint, content_type = ${file?.contentType ?? null},
                       ${Prisma.raw(NEXT_REVISION)}
       WHERE id = ${id}
   RETURNING ${Prisma.raw(SAVED_COLUMNS)}), ${Prisma.raw(REVISION_CTES)}
    SELECT ${Prisma.raw(NOTE_COLUMNS)} FROM saved`;
  return rows[0]!;
}
