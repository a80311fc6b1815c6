/**
 * The one mapping between a `notes` row as raw SQL returns it and the domain's NoteRecord (the hot paths use
 * `pg` directly; Prisma's selections go through toRecord in service.ts).
 */

export interface NoteRecord {
  id: number;
  title: string;
  description: string;
  fileKey: string | null;
  fileName: string | null;
  fileSize: number | null;
  contentType: string | null;
  createdAt: Date;
  updatedAt: Date;
  tags: string[];
  pinned: boolean;
  archived: boolean;
  /** When the note was moved to the trash; null for a live note. */
  deletedAt: Date | null;
}

export const RAW_COLUMNS = `id, title, description, file_key, file_name, file_size::float8 AS file_size, content_type,
                  created_at, updated_at, tags, pinned, archived, deleted_at`;

export interface RawNoteRow {
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

export function fromRawRow(r: RawNoteRow): NoteRecord {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    fileKey: r.file_key,
    fileName: r.file_name,
    fileSize: r.file_size,
    contentType: r.content_type,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    tags: r.tags,
    pinned: r.pinned,
    archived: r.archived,
    deletedAt: r.deleted_at,
  };
}
