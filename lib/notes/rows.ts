import "server-only";
import type { Note } from "@/lib/notes/schema";

/**
 * The one way a note is read from its table: every statement that returns notes selects NOTE_COLUMNS and maps
 * each row with toNote. Plain SQL (on the pool or in a Prisma transaction) because the hot paths need it.
 */

export const NOTE_COLUMNS = `id, title, description, file_key, file_name, file_size::float8 AS file_size, content_type,
                  created_at, updated_at, tags, pinned, archived, deleted_at`;

/** A row as NOTE_COLUMNS selects it (file_size as a double: the column is bigint, files are far smaller). */
export interface NoteRow {
  id: number;
  title: string;
  description: string;
  file_key: string | null;
  file_name: string | null;
  file_size: number | null;
  content_type: string | null;
  created_at: Date;
  updated_at: Date;
  tags: string[];
  pinned: boolean;
  archived: boolean;
  deleted_at: Date | null;
}

/** The columns a note shares with each of its revisions (lib/notes/revisions.ts). */
export type SavedRow = Pick<
  NoteRow,
  "title" | "description" | "file_key" | "file_name" | "file_size" | "content_type" | "created_at"
>;

/** Those columns in the domain's names. */
export function savedFields(r: SavedRow) {
  return {
    title: r.title,
    description: r.description,
    fileKey: r.file_key,
    fileName: r.file_name,
    fileSize: r.file_size,
    contentType: r.content_type,
    createdAt: r.created_at,
  };
}

export function toNote(r: NoteRow): Note {
  return {
    id: r.id,
    ...savedFields(r),
    updatedAt: r.updated_at,
    tags: r.tags,
    pinned: r.pinned,
    archived: r.archived,
    deletedAt: r.deleted_at,
  };
}
