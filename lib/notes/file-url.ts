import "server-only";
import { downloadUrl } from "@/lib/files/download";
import type { Note } from "@/lib/notes/schema";

/** A short-lived presigned GET URL of the note's file, or null without one. */
export function fileUrl(note: Note): Promise<string | null> {
  if (!note.fileKey || !note.fileName || !note.contentType) return Promise.resolve(null);
  return downloadUrl({ key: note.fileKey, fileName: note.fileName, contentType: note.contentType });
}
