import "server-only";
import { downloadUrl } from "@/lib/files/download";
import type { NoteRecord } from "@/lib/notes/service";

/** A note as the REST API shows it (the original's field names). */
export interface ApiNote {
  id: number;
  title: string;
  description: string;
  file_url: string | null;
  file_name: string | null;
  file_size: number | null;
  content_type: string | null;
  created_at: string;
  updated_at: string;
  tags: string[];
  pinned: boolean;
  archived: boolean;
  deleted_at: string | null;
}

export async function toApiNote(note: NoteRecord): Promise<ApiNote> {
  return {
    id: note.id,
    title: note.title,
    description: note.description,
    file_url: await fileUrl(note),
    file_name: note.fileName,
    file_size: note.fileSize,
    content_type: note.contentType,
    created_at: note.createdAt.toISOString(),
    updated_at: note.updatedAt.toISOString(),
    tags: note.tags,
    pinned: note.pinned,
    archived: note.archived,
    deleted_at: note.deletedAt?.toISOString() ?? null,
  };
}

export function fileUrl(note: NoteRecord): Promise<string | null> {
  if (!note.fileKey || !note.fileName || !note.contentType) return Promise.resolve(null);
  return downloadUrl({ key: note.fileKey, fileName: note.fileName, contentType: note.contentType });
}
