import "server-only";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { badRequest, notFound } from "@/lib/errors";
import { enqueueDeletion } from "@/lib/files/deletion-queue";
import { claimUpload, inspectUpload, type StoredFile } from "@/lib/files/uploads";
import { kickFileWorker } from "@/lib/files/worker";
import { Prisma } from "@/lib/generated/prisma/client";
import { fromRawRow, type NoteRecord, RAW_COLUMNS, type RawNoteRow } from "@/lib/notes/row";
import { NOTE_ID_MAX } from "@/lib/notes/schema";
import { extractTags } from "@/lib/notes/tags";

/**
 * Every rule about notes, for the REST API and the browser alike. Every query is scoped to the owner: a note
 * of another user is indistinguishable from a missing one (404).
 */

export type { NoteRecord } from "@/lib/notes/row";
export { listNotes, type NotePage } from "@/lib/notes/list";

const noteSelect = {
  id: true,
  title: true,
  description: true,
  fileKey: true,
  fileName: true,
  fileSize: true,
  contentType: true,
  createdAt: true,
  updatedAt: true,
  tags: true,
  pinned: true,
  archived: true,
  deletedAt: true,
} as const;

type SelectedNote = Prisma.NoteGetPayload<{ select: typeof noteSelect }>;

function toRecord(n: SelectedNote): NoteRecord {
  return { ...n, fileSize: n.fileSize === null ? null : Number(n.fileSize) };
}

function isValidId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= NOTE_ID_MAX;
}

export async function getNote(userId: string, id: number): Promise<NoteRecord> {
  if (!isValidId(id)) throw notFound();
  const note = await db().note.findFirst({ where: { id, ownerId: userId, deletedAt: null }, select: noteSelect });
  if (!note) throw notFound();
  return toRecord(note);
}

/** Resolves a file_key sent by a client into a verified stored file (ownership, existence, size, type). */
export function resolveFileKey(userId: string, fileKey: string | null | undefined): Promise<StoredFile | undefined> {
  return fileKey ? inspectUpload(userId, fileKey) : Promise.resolve(undefined);
}

export async function createNote(
  userId: string,
  input: { title: string; description: string },
  file?: StoredFile,
): Promise<NoteRecord> {
  if (!file) {
    // The common case (the REST API's JSON body, the browser form without a file) is one statement: hot
    // enough to skip the ORM and its interactive transaction (BEGIN, INSERT, COMMIT: three round trips).
    const { rows } = await pool().query<RawNoteRow>({
      name: "create_note",
      text: `INSERT INTO notes (owner_id, title, description, tags, updated_at)
             VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)
             RETURNING ${RAW_COLUMNS}`,
      values: [userId, input.title, input.description, extractTags(input.title, input.description)],
    });
    return fromRawRow(rows[0]!);
  }
  const note = await db().$transaction(async (tx) => {
    if (file) await claimUpload(tx, userId, file.key);
    return tx.note.create({
      data: {
        ownerId: userId,
        title: input.title,
        description: input.description,
        tags: extractTags(input.title, input.description),
        ...(file ? fileColumns(file) : {}),
      },
      select: noteSelect,
    });
  });
  return toRecord(note);
}

export async function updateTitle(userId: string, id: number, title: string): Promise<NoteRecord> {
  return updateFields(userId, id, { title });
}

export async function updateDescription(userId: string, id: number, description: string): Promise<NoteRecord> {
  return updateFields(userId, id, { description });
}

/** Title and description together (the browser's edit form). */
export async function updateText(
  userId: string,
  id: number,
  data: { title: string; description: string },
): Promise<NoteRecord> {
  return updateFields(userId, id, data);
}

async function updateFields(
  userId: string,
  id: number,
  data: { title?: string; description?: string },
): Promise<NoteRecord> {
  if (!isValidId(id)) throw notFound();
  if (data.title !== undefined && data.description !== undefined) {
    // Both texts known: one statement on the pool, tags computed from them.
    const { rows } = await pool().query<RawNoteRow>({
      name: "update_note_text",
      text: `UPDATE notes SET title = $3, description = $4, tags = $5, updated_at = CURRENT_TIMESTAMP
              WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL
          RETURNING ${RAW_COLUMNS}`,
      values: [id, userId, data.title, data.description, extractTags(data.title, data.description)],
    });
    if (rows.length === 0) throw notFound();
    return fromRawRow(rows[0]!);
  }
  // One field: the tags depend on the other one too, so read it under a row lock and write both.
  return withClient(async (client) => {
    const current = await client.query<{ title: string; description: string }>(
      "SELECT title, description FROM notes WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL FOR UPDATE",
      [id, userId],
    );
    if (current.rows.length === 0) throw notFound();
    const title = data.title ?? current.rows[0]!.title;
    const description = data.description ?? current.rows[0]!.description;
    const { rows } = await client.query<RawNoteRow>(
      `UPDATE notes SET title = $3, description = $4, tags = $5, updated_at = CURRENT_TIMESTAMP
        WHERE id = $1 AND owner_id = $2
    RETURNING ${RAW_COLUMNS}`,
      [id, userId, title, description, extractTags(title, description)],
    );
    return fromRawRow(rows[0]!);
  });
}

/** Runs `step` in a transaction on one pooled connection. */
export async function withClient<T>(step: (client: import("pg").PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const result = await step(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Replaces (or sets) the file of a note. The note row is locked so that two concurrent replacements cannot
 * both read the same old key and leave one new object orphaned; the old object is queued for deletion in the
 * same transaction.
 */
export async function setNoteFile(userId: string, id: number, file: StoredFile): Promise<NoteRecord> {
  if (!isValidId(id)) throw notFound();
  const note = await db().$transaction(async (tx) => {
    const oldKey = await lockNoteFileKey(tx, userId, id);
    await claimUpload(tx, userId, file.key);
    await enqueueDeletion(tx, [oldKey]);
    return tx.note.update({ where: { id }, data: fileColumns(file), select: noteSelect });
  });
  void kickFileWorker();
  return toRecord(note);
}

export async function removeNoteFile(userId: string, id: number): Promise<NoteRecord> {
  if (!isValidId(id)) throw notFound();
  const note = await db().$transaction(async (tx) => {
    const oldKey = await lockNoteFileKey(tx, userId, id);
    if (!oldKey) throw badRequest("This note has no file");
    await enqueueDeletion(tx, [oldKey]);
    return tx.note.update({
      where: { id },
      data: { fileKey: null, fileName: null, fileSize: null, contentType: null },
      select: noteSelect,
    });
  });
  void kickFileWorker();
  return toRecord(note);
}

/**
 * DELETE /notes/{id} of the original API: the note moves to the trash (restorable for TRASH_RETENTION_DAYS)
 * but its file is deleted now, as that endpoint always promised its clients ("Delete a note and its file").
 * The UI and POST /notes/{id}/trash keep the file (lib/notes/trash.ts).
 */
export async function deleteNote(userId: string, id: number): Promise<void> {
  if (!isValidId(id)) throw notFound();
  await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ file_key: string | null }[]>`
      UPDATE notes AS n SET deleted_at = CURRENT_TIMESTAMP,
                            file_key = NULL, file_name = NULL, file_size = NULL, content_type = NULL
        FROM (SELECT id, file_key FROM notes WHERE id = ${id} AND owner_id = ${userId} AND deleted_at IS NULL
                 FOR UPDATE) AS old
       WHERE n.id = old.id
   RETURNING old.file_key`;
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
    SELECT file_key FROM notes WHERE id = ${id} AND owner_id = ${userId} AND deleted_at IS NULL FOR UPDATE`;
  if (rows.length === 0) throw notFound();
  return rows[0]!.file_key;
}

function fileColumns(file: StoredFile) {
  return { fileKey: file.key, fileName: file.fileName, fileSize: BigInt(file.size), contentType: file.contentType };
}
