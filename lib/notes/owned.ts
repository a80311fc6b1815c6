import "server-only";
import { pool } from "@/lib/db/pool";
import { NOTE_COLUMNS, type NoteRow, toNote } from "@/lib/notes/rows";
import type { Note } from "@/lib/notes/schema";

/**
 * Every note a user owns, live, archived and trashed, for the export: in creation order by keyset on
 * (created_at, id) (the owner's created_at index, walked backwards), a page at a time. A page holds at most
 * PAGE_NOTES notes and, past its first, at most PAGE_MAX_BYTES of text, so memory stays bounded whatever the
 * notes' size. Creation order never changes, so pinning or trashing a note mid-export neither skips nor repeats it.
 */

const PAGE_NOTES = 200;
const PAGE_MAX_BYTES = 1024 * 1024;

interface Position {
  createdAt: Date;
  id: number;
}

async function page(userId: string, after: Position | null): Promise<Note[]> {
  const values: unknown[] = [userId, PAGE_NOTES, PAGE_MAX_BYTES];
  const keyset = after ? "AND (created_at, id) > ($4::timestamptz, $5::int)" : "";
  if (after) values.push(after.createdAt, after.id);
  const { rows } = await pool().query<NoteRow>(
    `SELECT ${NOTE_COLUMNS}
       FROM (SELECT c.*, row_number() OVER w AS n, sum(bytes) OVER w AS running
               FROM (SELECT *, octet_length(title) + octet_length(description) AS bytes FROM notes
                      WHERE owner_id = $1 ${keyset}
                      ORDER BY created_at, id LIMIT $2) AS c
             WINDOW w AS (ORDER BY created_at, id ROWS UNBOUNDED PRECEDING)) AS p
      WHERE n = 1 OR running <= $3
      ORDER BY created_at, id`,
    values,
  );
  return rows.map(toNote);
}

/** The user's notes, page by page; stops between pages once `signal` aborts. */
export async function* ownedNotePages(userId: string, signal?: AbortSignal): AsyncGenerator<Note[]> {
  let after: Position | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const notes = await page(userId, after);
    if (notes.length === 0) return;
    yield notes;
    const last = notes.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export interface OwnedTotals {
  notes: number;
  files: number;
  /** The files' bytes together. */
  fileBytes: number;
  /** Titles and descriptions (UTF-8) together. */
  textBytes: number;
}

/** What an export of the user will hold, from the database alone (one aggregate over the owner's rows). */
export async function ownedTotals(userId: string): Promise<OwnedTotals> {
  const { rows } = await pool().query<{ notes: number; files: number; file_bytes: number; text_bytes: number }>(
    `SELECT count(*)::int AS notes, count(file_key)::int AS files,
            coalesce(sum(file_size), 0)::float8 AS file_bytes,
            coalesce(sum(octet_length(title) + octet_length(description)), 0)::float8 AS text_bytes
       FROM notes WHERE owner_id = $1`,
    [userId],
  );
  const r = rows[0]!;
  return { notes: r.notes, files: r.files, fileBytes: r.file_bytes, textBytes: r.text_bytes };
}
